package gen

// Name parts for synthetic people and villages, Thai with a romanization.
// Combinations repeat at national scale, as real names do; ids stay unique.

type pair struct{ th, en string }

var maleFirst = []pair{
	{"สมชาย", "Somchai"}, {"สมศักดิ์", "Somsak"}, {"ประเสริฐ", "Prasert"}, {"วิชัย", "Wichai"},
	{"สมพงษ์", "Somphong"}, {"บุญมี", "Bunmi"}, {"ทองดี", "Thongdi"}, {"สุรชัย", "Surachai"},
	{"ชาญชัย", "Chanchai"}, {"อำนาจ", "Amnat"}, {"ประยุทธ", "Prayut"}, {"สมบัติ", "Sombat"},
	{"บุญเลิศ", "Bunloet"}, {"เสถียร", "Sathian"}, {"จำนงค์", "Chamnong"}, {"สุเทพ", "Suthep"},
	{"ณรงค์", "Narong"}, {"วีระ", "Wira"}, {"ไพโรจน์", "Phairot"}, {"สายัณห์", "Sayan"},
	{"คำปัน", "Khampan"}, {"อินทร์", "In"}, {"แก้ว", "Kaeo"}, {"มานพ", "Manop"},
	{"ธนพล", "Thanaphon"}, {"กิตติ", "Kitti"}, {"ปรีชา", "Pricha"}, {"ยงยุทธ", "Yongyut"},
	{"ทวีศักดิ์", "Thawisak"}, {"เฉลิม", "Chaloem"},
}

var femaleFirst = []pair{
	{"สมศรี", "Somsri"}, {"บุญเรือน", "Bunruean"}, {"มาลี", "Mali"}, {"สุนีย์", "Suni"},
	{"ประไพ", "Praphai"}, {"วันเพ็ญ", "Wanphen"}, {"จันทร์เพ็ญ", "Chanphen"}, {"ทองใบ", "Thongbai"},
	{"สมใจ", "Somchai"}, {"ลำดวน", "Lamduan"}, {"อรุณี", "Aruni"}, {"กาญจนา", "Kanchana"},
	{"พรทิพย์", "Phonthip"}, {"นงลักษณ์", "Nongluck"}, {"สุภาพ", "Suphap"}, {"บัวผัน", "Buaphan"},
	{"คำแพง", "Khamphaeng"}, {"รัตนา", "Rattana"}, {"อัมพร", "Amphon"}, {"ศรีไพร", "Sriprai"},
	{"ทิพวัลย์", "Thipawan"}, {"วิไลวรรณ", "Wilaiwan"}, {"จินตนา", "Chintana"}, {"สายสุนีย์", "Saisuni"},
	{"ปราณี", "Prani"}, {"เพ็ญศรี", "Phensri"}, {"นิภา", "Nipha"}, {"ละเอียด", "La-iat"},
	{"อำไพ", "Amphai"}, {"ดวงใจ", "Duangchai"},
}

var surnames = []pair{
	{"ใจดี", "Chaidi"}, {"ศรีสุข", "Srisuk"}, {"บุญมา", "Bunma"}, {"แก้วมณี", "Kaeomani"},
	{"ทองคำ", "Thongkham"}, {"สมประสงค์", "Somprasong"}, {"พันธเสน", "Phanthasen"}, {"ยอดแก้ว", "Yotkaeo"},
	{"ศิริอัฐ", "Siri-at"}, {"จันทร์หอม", "Chanhom"}, {"มีสุข", "Misuk"}, {"รักษ์ไทย", "Rakthai"},
	{"สุขเจริญ", "Sukcharoen"}, {"วงศ์ใหญ่", "Wongyai"}, {"ชัยมงคล", "Chaimongkhon"}, {"อินทร์แก้ว", "Inkaeo"},
	{"คำภา", "Khampha"}, {"ปัญญาดี", "Panyadi"}, {"บุญเกิด", "Bunkoet"}, {"เพชรรัตน์", "Phetcharat"},
	{"นาคสวัสดิ์", "Naksawat"}, {"ทรัพย์มาก", "Sapmak"}, {"ดวงแก้ว", "Duangkaeo"}, {"สีดา", "Sida"},
	{"พรหมมา", "Phromma"}, {"แสงทอง", "Saengthong"}, {"วิเศษศรี", "Wisetsri"}, {"กองแก้ว", "Kongkaeo"},
	{"เรืองศรี", "Rueangsri"}, {"หอมจันทร์", "Homchan"}, {"ศรีวงศ์", "Sriwong"}, {"ธรรมวงศ์", "Thammawong"},
	{"บัวแก้ว", "Buakaeo"}, {"ประทุม", "Prathum"}, {"ขันทอง", "Khanthong"}, {"นิลสุวรรณ", "Ninsuwan"},
	{"สุวรรณรัตน์", "Suwannarat"}, {"ชื่นใจ", "Chuenchai"}, {"อ่อนศรี", "Onsri"}, {"มั่นคง", "Mankhong"},
}

// village names: prefix + suffix, as Thai villages are often named
var villagePrefix = []pair{
	{"หนอง", "Nong"}, {"โคก", "Khok"}, {"ดอน", "Don"}, {"นา", "Na"}, {"ห้วย", "Huai"},
	{"ท่า", "Tha"}, {"โนน", "Non"}, {"บึง", "Bueng"}, {"ป่า", "Pa"}, {"วัง", "Wang"},
	{"สระ", "Sa"}, {"หัว", "Hua"},
}

var villageSuffix = []pair{
	{"บัว", "Bua"}, {"ใหญ่", "Yai"}, {"แดง", "Daeng"}, {"ตะเคียน", "Takhian"}, {"ไผ่", "Phai"},
	{"ยาง", "Yang"}, {"ทอง", "Thong"}, {"ขาม", "Kham"}, {"สะแก", "Sakae"}, {"กลาง", "Klang"},
	{"เหนือ", "Nuea"}, {"ใต้", "Tai"}, {"มะม่วง", "Mamuang"}, {"โพธิ์", "Pho"}, {"จาน", "Chan"},
	{"น้ำใส", "Nam Sai"},
}

// Thai month names (for the text of dates as Thai sources write them).
var thaiMonths = []string{"", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
	"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}
