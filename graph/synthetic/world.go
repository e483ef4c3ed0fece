package synthetic

import "github.com/cyberkg/cyberkg/graph"

// The shape of the synthetic world. The proportions are invented but follow the
// public picture: thefts mostly North Korean, sabotage mostly Russian, espionage
// spread over the big four, ransomware mostly criminal.

type codeWeight struct {
	code string // ISO alpha-2; "" for criminal groups, sponsored by no state
	w    float64
}

var kindWeights = []struct {
	kind graph.IncidentKind
	w    float64
}{
	{graph.IncidentTheft, 30},
	{graph.IncidentRansomware, 20},
	{graph.IncidentEspionage, 30},
	{graph.IncidentSabotage, 5},
	{graph.IncidentDDoS, 10},
	{graph.IncidentOther, 5},
}

// culpritWeights says, per kind of incident, which states' actors carry it out.
var culpritWeights = map[graph.IncidentKind][]codeWeight{
	graph.IncidentTheft:      {{"KP", 65}, {"", 20}, {"RU", 5}, {"CN", 5}, {"IR", 5}},
	graph.IncidentRansomware: {{"", 55}, {"RU", 20}, {"KP", 10}, {"IR", 10}, {"CN", 5}},
	graph.IncidentEspionage:  {{"CN", 38}, {"RU", 28}, {"IR", 14}, {"KP", 12}, {"VN", 3}, {"PK", 2}, {"IN", 2}, {"TR", 1}},
	graph.IncidentSabotage:   {{"RU", 55}, {"IR", 25}, {"CN", 10}, {"", 10}},
	graph.IncidentDDoS:       {{"RU", 45}, {"", 35}, {"IR", 10}, {"CN", 5}, {"BY", 5}},
	graph.IncidentOther:      {{"", 40}, {"CN", 20}, {"RU", 20}, {"KP", 10}, {"IR", 10}},
}

// sponsorWeights says which states sponsor the generated actors; a fifth are criminal.
var sponsorWeights = []codeWeight{
	{"", 24.5}, {"CN", 30}, {"RU", 25}, {"KP", 18}, {"IR", 12}, {"VN", 3}, {"PK", 2}, {"IN", 2},
	{"BY", 2}, {"TR", 2}, {"LB", 1}, {"SY", 1},
}

// victimCountries says where victims are.
var victimCountries = []codeWeight{
	{"US", 30}, {"KR", 8}, {"JP", 6}, {"GB", 6}, {"UA", 6}, {"DE", 5}, {"FR", 4}, {"IL", 3},
	{"TW", 3}, {"IN", 3}, {"AU", 3}, {"CA", 3}, {"SG", 2}, {"NL", 2}, {"VN", 2}, {"PH", 2},
	{"SA", 2}, {"AE", 2}, {"PL", 2}, {"IT", 2}, {"ES", 2}, {"SE", 1}, {"NO", 1}, {"FI", 1},
	{"DK", 1}, {"BE", 1}, {"CH", 1}, {"BR", 1}, {"HK", 1}, {"TR", 1}, {"EE", 1}, {"LT", 1},
}

// animals names generated actors the way one vendor does, by sponsor.
var animals = map[string]string{
	"":         "Spider",
	"state:kp": "Chollima",
	"state:ru": "Bear",
	"state:cn": "Panda",
	"state:ir": "Kitten",
	"state:vn": "Buffalo",
	"state:pk": "Leopard",
	"state:in": "Tiger",
	"state:tr": "Wolf",
}

// adjectives avoid every word a real actor's name uses, so that a synthetic actor
// ("Opal Chollima 17") cannot be mistaken for one.
var adjectives = []string{
	"Amber", "Ashen", "Brass", "Cinder", "Copper", "Dune", "Fable", "Gilded", "Hollow",
	"Indigo", "Jasper", "Lantern", "Marble", "Nickel", "Opal", "Pewter", "Quartz",
	"Russet", "Sable", "Tawny", "Umbral", "Vellum", "Willow", "Yarrow",
}

// prefixes begin organisation names; none is a real company's.
var prefixes = []string{
	"Northbridge", "Altamira", "Bluefin", "Cedarline", "Corvid", "Duskwood", "Everline",
	"Fairhaven", "Granitefield", "Harborview", "Ironleaf", "Juniper", "Kestrel", "Lumenford",
	"Meridian", "Nimbus", "Oakridge", "Pinecrest", "Quarrystone", "Redwater", "Silverline",
	"Tidewater", "Umberlake", "Valewood", "Westmark", "Amberly", "Brightwell", "Coldspring",
	"Driftwood", "Eastgate", "Foxglove", "Glenmore", "Hollowell", "Ivybridge", "Larkspur",
	"Mistral", "Northwind", "Oldcastle",
}

// sectorNouns end organisation names, by reference sector.
var sectorNouns = map[string]string{
	"Banking":                           "Bank",
	"Cryptocurrency exchange":           "Exchange",
	"Decentralized finance (DeFi)":      "Finance Protocol",
	"Cross-chain bridge":                "Bridge",
	"Cryptocurrency industry":           "Crypto",
	"Blockchain gaming":                 "Chain Games",
	"Video games":                       "Games",
	"Casinos and betting":               "Casino",
	"Payment processing and SWIFT":      "Payments",
	"Technology companies":              "Technologies",
	"IT services":                       "IT Services",
	"Defense industry":                  "Defense Systems",
	"Government agencies":               "Agency",
	"Diplomatic missions":               "Consulate",
	"Healthcare":                        "Hospital",
	"Pharmaceuticals and biotechnology": "Pharma",
	"Energy sector":                     "Energy",
	"Nuclear sector":                    "Nuclear",
	"Water utilities":                   "Water",
	"Telecommunications":                "Telecom",
	"Think tanks":                       "Institute",
	"News media":                        "Media",
	"Aerospace and aviation":            "Aerospace",
	"Education and research":            "University",
	"Critical infrastructure":           "Grid",
	"Manufacturing":                     "Industries",
	"Transportation and logistics":      "Logistics",
	"Semiconductors":                    "Semiconductor",
	"Legal services":                    "Law",
	"Civil society":                     "Foundation",
	"Elections and politics":            "Election Board",
	"Travel and hospitality":            "Hotels",
}

// financialSectors hold what thieves go after.
var financialSectors = map[string]bool{
	"Banking": true, "Cryptocurrency exchange": true, "Decentralized finance (DeFi)": true,
	"Cross-chain bridge": true, "Cryptocurrency industry": true, "Blockchain gaming": true,
	"Casinos and betting": true, "Payment processing and SWIFT": true,
}

var kindNouns = map[graph.IncidentKind]string{
	graph.IncidentTheft:      "heist",
	graph.IncidentRansomware: "ransomware attack",
	graph.IncidentEspionage:  "intrusion",
	graph.IncidentSabotage:   "wiper attack",
	graph.IncidentDDoS:       "DDoS attack",
	graph.IncidentOther:      "breach",
}

var kindPhrases = map[graph.IncidentKind]string{
	graph.IncidentTheft:      "a theft",
	graph.IncidentRansomware: "a ransomware attack",
	graph.IncidentEspionage:  "an intrusion",
	graph.IncidentSabotage:   "a wiper attack",
	graph.IncidentDDoS:       "a DDoS attack",
	graph.IncidentOther:      "a breach",
}

// publishers publish the synthetic reports.
var publishers = []string{
	"Synthetic Wire", "The Synthetic Record", "Synthetic Threat Post", "Synthetic Ledger",
	"Synthetic Security Weekly",
}

// claimants are who the reports say made an attribution; "" leaves it to the publisher.
var claimants = []string{
	"FBI", "US Department of the Treasury", "Mandiant", "CrowdStrike", "Chainalysis",
	"Microsoft Threat Intelligence", "Kaspersky", "ESET", "Recorded Future", "CERT-UA",
	"UN Panel of Experts", "UK National Cyber Security Centre",
}
