#!/usr/bin/env python3
"""Generate seed/geography.yaml: Thailand's 6 regions and 77 provinces.

Reads two public MIT-licensed datasets (copied under
data/thai-geography (the copy this repository ships), or the
directory given as the first argument):

  kongvut-thai-province-data/    github.com/kongvut/thai-province-data
                                 commit 9711e723dfe9c0c48630f05090ed70a1aa3c66f1
                                 -> geographies.json (6 regions),
                                    provinces.json (geography_id = region)
  thailand-geography-json/       github.com/thailand-geography-data/thailand-geography-json
                                 commit c76e019fe7a2d51cafd40be8261f59b10310f9d1
                                 -> provinces.json (official 2-digit provinceCode,
                                    the number of ISO 3166-2:TH; English names)

The two are joined on the Thai province name. The output has the shape of a
model.Bundle (top-level `nodes:` and `relationships:`): one Source node for
the datasets, 6 Region nodes, 77 Province nodes and 77 PART_OF relationships
(province -> region), each with evidence citing the dataset and the
assertion status STATED (the dataset's row says it).

Standard library only. Output is deterministic (regions in dataset order,
provinces sorted by code). Every string is emitted as a JSON string, which is
a valid YAML double-quoted scalar.

Usage:  python3 scripts/gen_geography.py [DATA_DIR]
"""

import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "data", "thai-geography")
OUTPUT = os.path.join(REPO_ROOT, "seed", "geography.yaml")

SOURCE_ID = "dataset-thai-geography"
KONGVUT_URL = "https://github.com/kongvut/thai-province-data"
KONGVUT_COMMIT = "9711e723dfe9c0c48630f05090ed70a1aa3c66f1"
TGJ_URL = "https://github.com/thailand-geography-data/thailand-geography-json"
TGJ_COMMIT = "c76e019fe7a2d51cafd40be8261f59b10310f9d1"

# kongvut geographies.json id -> (slug, English name, aliases)
REGIONS = {
    1: ("north", "Northern Region", ["North", "Northern Thailand"]),
    2: ("central", "Central Region", ["Central", "Central Thailand"]),
    3: ("northeast", "Northeastern Region",
        ["ภาคอีสาน", "อีสาน", "Isan", "Isaan", "Northeast", "Northeastern Thailand"]),
    4: ("west", "Western Region", ["West", "Western Thailand"]),
    5: ("east", "Eastern Region", ["East", "Eastern Thailand"]),
    6: ("south", "Southern Region", ["ปักษ์ใต้", "South", "Southern Thailand"]),
}

# Known typos in thailand-geography-json English names.
EN_TYPO_FIXES = {"Loburi": "Lopburi"}

# Common short, spoken or alternative forms, by provinceCode. Only forms in
# wide use; romanisation variants are added where the official one is split
# differently ("Chon Buri" / "Chonburi").
ALIASES = {
    10: ["กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม",
         "Krung Thep", "Krung Thep Maha Nakhon", "BKK"],
    11: ["ปากน้ำ"],
    12: ["เมืองนนท์", "นนท์"],
    13: ["ปทุมฯ"],
    14: ["อยุธยา", "กรุงศรีฯ", "Ayutthaya", "Ayudhya"],
    16: ["Lop Buri"],
    17: ["Singburi"],
    18: ["Chainat"],
    20: ["Chonburi"],
    24: ["แปดริ้ว"],
    25: ["ปราจีน", "Prachinburi"],
    27: ["Sa Kaew"],
    30: ["โคราช", "Korat", "Khorat"],
    31: ["Buriram"],
    33: ["Sisaket"],
    34: ["อุบลฯ", "อุบล", "Ubon"],
    39: ["Nong Bua Lamphu"],
    41: ["อุดรฯ", "อุดร", "Udon"],
    44: ["สารคาม"],
    47: ["สกลฯ"],
    60: ["ปากน้ำโพ"],
    61: ["อุทัยฯ"],
    71: ["กาญจน์", "เมืองกาญจน์"],
    72: ["สุพรรณฯ", "สุพรรณ", "Suphanburi"],
    74: ["มหาชัย"],
    76: ["เมืองเพชร"],
    77: ["ประจวบฯ", "ประจวบ"],
    80: ["นครศรีฯ", "เมืองคอน", "Nakhon Si"],
    82: ["Phang Nga"],
    84: ["สุราษฎร์", "สุราษฎร์ฯ", "Surat", "Suratthani"],
    96: ["นราฯ"],
}


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def evidence(lines, indent, quote, locator, note=None):
    pad = " " * indent
    lines.append(pad + "evidence:")
    lines.append(pad + "  - source: " + q(SOURCE_ID))
    lines.append(pad + "    quote: " + q(quote))
    lines.append(pad + "    locator: " + q(locator))
    if note:
        lines.append(pad + "    note: " + q(note))
    # every record is what the dataset says: its row is the quote
    lines.append(pad + "status: \"STATED\"")


def main(argv):
    data_dir = os.path.abspath(argv[1] if len(argv) > 1 else DEFAULT_DATA_DIR)
    kdir = os.path.join(data_dir, "kongvut-thai-province-data")
    tdir = os.path.join(data_dir, "thailand-geography-json")

    geographies = load(os.path.join(kdir, "geographies.json"))
    kprov = load(os.path.join(kdir, "provinces.json"))
    tprov = load(os.path.join(tdir, "provinces.json"))

    geo_by_id = {g["id"]: g for g in geographies}
    if sorted(geo_by_id) != sorted(REGIONS):
        sys.exit("unexpected geographies.json ids: %r" % sorted(geo_by_id))

    t_by_name = {}
    for p in tprov:
        name = p["provinceNameTh"].strip()
        if name in t_by_name:
            sys.exit("duplicate Thai province name in thailand-geography-json: " + name)
        t_by_name[name] = p

    provinces = []
    seen = set()
    for kp in kprov:
        if kp.get("deleted_at"):
            continue
        name = kp["name_th"].strip()
        tp = t_by_name.get(name)
        if tp is None:
            sys.exit("no thailand-geography-json province for " + name)
        if name in seen:
            sys.exit("duplicate Thai province name in kongvut: " + name)
        seen.add(name)
        code = int(tp["provinceCode"])
        name_en = EN_TYPO_FIXES.get(tp["provinceNameEn"], tp["provinceNameEn"]).strip()
        if kp["geography_id"] not in REGIONS:
            sys.exit("unknown geography_id %r for %s" % (kp["geography_id"], name))
        provinces.append({
            "code": code,
            "name": name,
            "nameEn": name_en,
            "kid": kp["id"],
            "tid": tp["id"],
            "geo": kp["geography_id"],
        })
    if len(provinces) != 77 or len(t_by_name) != 77:
        sys.exit("expected 77 provinces, got %d / %d" % (len(provinces), len(t_by_name)))
    provinces.sort(key=lambda p: p["code"])
    if len({p["code"] for p in provinces}) != 77:
        sys.exit("province codes are not unique")

    out = []
    out.append("# GENERATED by scripts/gen_geography.py -- do not edit by hand.")
    out.append("# Thailand's 6 regions and 77 provinces (ISO 3166-2:TH codes).")
    out.append("# Sources (MIT license):")
    out.append("#   %s @ %s" % (KONGVUT_URL, KONGVUT_COMMIT))
    out.append("#   %s @ %s" % (TGJ_URL, TGJ_COMMIT))
    out.append("# Joined on the Thai province name: region from kongvut geography_id,")
    out.append("# provinceCode and English name from thailand-geography-json")
    out.append("# (typo \"Loburi\" fixed to \"Lopburi\").")
    out.append("nodes:")

    # --- Source ---
    out.append("  # --- Source ---")
    out.append("  - id: " + q(SOURCE_ID))
    out.append("    label: \"Source\"")
    out.append("    kind: \"DATASET\"")
    out.append("    name: " + q("ข้อมูลเขตการปกครองของประเทศไทย (ภาค จังหวัด อำเภอ ตำบล)"))
    out.append("    nameEn: " + q("Thai administrative geography datasets "
                                    "(kongvut/thai-province-data and "
                                    "thailand-geography-data/thailand-geography-json)"))
    out.append("    url: " + q(KONGVUT_URL))
    desc = (
        "Two public datasets, both under the MIT license, joined on the Thai "
        "province name. (1) kongvut/thai-province-data, %s commit %s, files "
        "data/raw/geographies.json, provinces.json, districts.json, "
        "sub_districts.json: 6 regions, provinces with geography_id, DOPA "
        "district and subdistrict codes, postal codes. (2) "
        "thailand-geography-data/thailand-geography-json, %s commit %s, files "
        "src/provinces.json, districts.json, subdistricts.json: official "
        "2-digit provinceCode (the number of ISO 3166-2:TH) and English names "
        "(typo \"Loburi\" corrected to \"Lopburi\")."
        % (KONGVUT_URL, KONGVUT_COMMIT, TGJ_URL, TGJ_COMMIT)
    )
    out.append("    description: " + q(
        "ชุดข้อมูลสาธารณะ 2 ชุด (สัญญาอนุญาต MIT) ที่ใช้สร้างชั้นข้อมูลภาค "
        "จังหวัด อำเภอ/เขต และตำบล/แขวง: kongvut/thai-province-data (%s @ %s) "
        "และ thailand-geography-json (%s @ %s)"
        % (KONGVUT_URL, KONGVUT_COMMIT, TGJ_URL, TGJ_COMMIT)))
    out.append("    descriptionEn: " + q(desc))
    evidence(out, 4, geo_by_id[1]["name"],
             "kongvut-thai-province-data/geographies.json; "
             "thailand-geography-json/provinces.json",
             "The dataset node cites itself: it is the record of the data files.")

    # --- Regions ---
    out.append("")
    out.append("  # --- Regions (kongvut geographies.json) ---")
    for gid in sorted(REGIONS):
        slug, name_en, aliases = REGIONS[gid]
        g = geo_by_id[gid]
        out.append("  - id: " + q("region-" + slug))
        out.append("    label: \"Region\"")
        out.append("    name: " + q(g["name"].strip()))
        out.append("    nameEn: " + q(name_en))
        out.append("    aliases: [" + ", ".join(q(a) for a in aliases) + "]")
        n = sum(1 for p in provinces if p["geo"] == gid)
        out.append("    descriptionEn: " + q(
            "One of the six regions of Thailand in the kongvut/thai-province-data "
            "scheme (geography_id=%d); %d provinces." % (gid, n)))
        evidence(out, 4, g["name"].strip(),
                 "kongvut-thai-province-data/geographies.json id=%d" % gid)

    # --- Provinces ---
    out.append("")
    out.append("  # --- Provinces, sorted by ISO 3166-2:TH code ---")
    for p in provinces:
        code = "%02d" % p["code"]
        out.append("  - id: " + q("province-TH-" + code))
        out.append("    label: \"Province\"")
        out.append("    name: " + q(p["name"]))
        out.append("    nameEn: " + q(p["nameEn"]))
        al = [a for a in ALIASES.get(p["code"], []) if a not in (p["name"], p["nameEn"])]
        if al:
            out.append("    aliases: [" + ", ".join(q(a) for a in al) + "]")
        out.append("    code: " + q("TH-" + code))
        evidence(out, 4, p["name"],
                 "kongvut-thai-province-data/provinces.json id=%d / "
                 "thailand-geography-json/provinces.json provinceCode=%s"
                 % (p["kid"], code))

    out.append("")
    out.append("relationships:")
    out.append("  # --- Province PART_OF Region (kongvut geography_id) ---")
    for p in provinces:
        code = "%02d" % p["code"]
        slug = REGIONS[p["geo"]][0]
        out.append("  - type: \"PART_OF\"")
        out.append("    from: " + q("province-TH-" + code))
        out.append("    to: " + q("region-" + slug))
        evidence(out, 4, p["name"],
                 "kongvut-thai-province-data/provinces.json id=%d geography_id=%d "
                 "(geographies.json id=%d = %s)"
                 % (p["kid"], p["geo"], p["geo"], geo_by_id[p["geo"]]["name"].strip()))

    text = "\n".join(out) + "\n"
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s: 1 source, %d regions, %d provinces, %d PART_OF"
          % (os.path.relpath(OUTPUT, REPO_ROOT), len(REGIONS), len(provinces), len(provinces)))


if __name__ == "__main__":
    main(sys.argv)
