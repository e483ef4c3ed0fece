package importers

import "github.com/cyberkg/cyberkg/graph"

// states are the states a catalogue may name as a sponsor, with the spellings the
// catalogues use: MISP's cfr-suspected-state-sponsor follows the ISO 3166 short names
// ("Korea (Democratic People's Republic of)", "Iran (Islamic Republic of)", "Russian
// Federation") and sometimes plain English. The list covers every sponsor the MISP
// threat-actor galaxy named as of 2026. A name not listed is skipped and reported, never
// guessed: "Korea" alone could be either Korea.
var states = []struct {
	code, name string
	spellings  []string
}{
	{"KP", "North Korea", []string{"Korea (Democratic People's Republic of)", "Democratic People's Republic of Korea", "DPRK"}},
	{"KR", "South Korea", []string{"Korea (Republic of)", "Republic of Korea"}},
	{"CN", "China", []string{"People's Republic of China", "PRC"}},
	{"RU", "Russia", []string{"Russian Federation"}},
	{"IR", "Iran", []string{"Iran (Islamic Republic of)", "Islamic Republic of Iran"}},
	{"US", "United States", []string{"United States of America", "USA", "US"}},
	{"GB", "United Kingdom", []string{"United Kingdom of Great Britain and Northern Ireland", "UK"}},
	{"IL", "Israel", nil},
	{"PK", "Pakistan", nil},
	{"IN", "India", nil},
	{"BY", "Belarus", nil},
	{"FR", "France", nil},
	{"AE", "United Arab Emirates", []string{"UAE"}},
	{"VN", "Vietnam", []string{"Viet Nam"}},
	{"ES", "Spain", nil},
	{"LB", "Lebanon", nil},
	{"PS", "Palestine", []string{"Palestine, State of", "State of Palestine"}},
	{"SY", "Syria", []string{"Syrian Arab Republic"}},
	{"TR", "Turkey", []string{"Türkiye"}},
	{"UA", "Ukraine", nil},
	{"SA", "Saudi Arabia", nil},
	{"EG", "Egypt", nil},
}

// stateByName maps a normalised spelling to its entry in states.
var stateByName = func() map[string]int {
	m := map[string]int{}
	for i, s := range states {
		m[graph.Normalize(s.name)] = i
		for _, sp := range s.spellings {
			m[graph.Normalize(sp)] = i
		}
	}
	return m
}()

// lookupState returns the ISO 3166-1 alpha-2 code and the usual English name of the
// state a catalogue names, or ok false.
func lookupState(name string) (code, canonical string, ok bool) {
	i, ok := stateByName[graph.Normalize(name)]
	if !ok {
		return "", "", false
	}
	return states[i].code, states[i].name, true
}

// noSponsor reports whether a sponsor field says that no sponsor is known.
func noSponsor(name string) bool {
	switch graph.Normalize(name) {
	case "", "unknown", "none", "n/a":
		return true
	}
	return false
}
