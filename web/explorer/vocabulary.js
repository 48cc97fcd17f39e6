// The node labels as the explorer's pages draw them: Thai name, colour
// and shape (app.js, analyze.js).

export const LABELS = [
  { id: "Agency", th: "หน่วยงาน", color: "#2f6fb0", shape: "round-rectangle" },
  { id: "Network", th: "เครือข่าย", color: "#2e9c5a", shape: "hexagon" },
  { id: "Person", th: "บุคคล", color: "#e8782a", shape: "ellipse" },
  { id: "Program", th: "แผนงาน", color: "#8957b8", shape: "barrel" },
  { id: "Event", th: "เหตุการณ์", color: "#cf3a3a", shape: "round-tag" },
  { id: "AgendaSession", th: "ช่วงวาระ", color: "#e58bbf", shape: "round-tag" },
  { id: "StrategySide", th: "ด้านยุทธศาสตร์", color: "#c2a300", shape: "star" },
  { id: "Region", th: "ภาค", color: "#7b5b43", shape: "diamond" },
  { id: "Province", th: "จังหวัด", color: "#a37b5c", shape: "diamond" },
  { id: "District", th: "อำเภอ", color: "#c29f85", shape: "diamond" },
  { id: "Subdistrict", th: "ตำบล", color: "#d8bfae", shape: "diamond" },
  { id: "Venue", th: "สถานที่", color: "#7d8590", shape: "round-diamond" },
  { id: "Source", th: "แหล่งที่มา", color: "#1aa3b5", shape: "rectangle" },
];
export const LABEL = Object.fromEntries(LABELS.map((l) => [l.id, l]));
