// Package data embeds the data files the program reads at run time: the
// Thai word list (data/thai-words, CC0-1.0) and the district and
// subdistrict tables of the Thai geography datasets (data/thai-geography,
// MIT). See each folder's README for the source and licence.
package data

import _ "embed"

// ThaiWords is PyThaiNLP's Thai word list, one word a line.
//
//go:embed thai-words/words_th.txt
var ThaiWords string

// KongvutProvinces, KongvutDistricts and KongvutSubdistricts are
// kongvut/thai-province-data's provinces.json, districts.json and
// sub_districts.json (DOPA codes: a district's first two digits are its
// province's, the number of its ISO 3166-2:TH code).
var (
	//go:embed thai-geography/kongvut-thai-province-data/provinces.json
	KongvutProvinces []byte
	//go:embed thai-geography/kongvut-thai-province-data/districts.json
	KongvutDistricts []byte
	//go:embed thai-geography/kongvut-thai-province-data/sub_districts.json
	KongvutSubdistricts []byte
)
