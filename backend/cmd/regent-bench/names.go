package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The word lists that generated names are built from. They are combined at random, so a
// three-letter fragment of any name matches anything from a handful to several thousand
// tenants, as a person's search would.
var (
	companyPrefixes = []string{
		"North", "Blue", "Silver", "Golden", "Red", "Green", "Bright", "Swift", "Clear", "Prime",
		"Alpha", "Nova", "Apex", "Summit", "River", "Ocean", "Iron", "Stone", "Cedar", "Maple",
		"Oak", "Pine", "Harbor", "Lake", "Sky", "Sun", "Star", "Moon", "Crystal", "Eagle",
		"Falcon", "Lion", "Tiger", "Wolf", "Fox", "Bear", "Hawk", "Atlas", "Orion", "Vega",
		"Polar", "Coastal", "Metro", "Urban", "Royal", "Grand", "Pioneer", "Liberty", "Unity", "Vertex",
		"Zenith", "Quantum", "Fusion", "Vector", "Nimbus", "Aurora", "Granite", "Willow", "Copper", "Amber",
	}
	companyCores = []string{
		"Logistics", "Telecom", "Retail", "Insurance", "Energy", "Health", "Travel", "Foods", "Pharma", "Banking",
		"Motors", "Media", "Software", "Systems", "Networks", "Airways", "Shipping", "Textiles", "Furniture", "Hotels",
		"Clinics", "Utilities", "Realty", "Finance", "Capital", "Labs", "Robotics", "Analytics", "Consulting", "Outsourcing",
		"Contact", "Support", "Care", "Connect", "Direct", "Express", "Mobile", "Cloud", "Data", "Digital",
		"Security", "Solar", "Water", "Gas", "Rail", "Freight", "Parcel", "Books", "Games", "Sports",
		"Fashion", "Beauty", "Pet", "Garden", "Home", "Auto", "Tyres", "Optics", "Dental", "Vision",
	}
	companySuffixes = []string{
		"Inc.", "Ltd", "GmbH", "SA", "SAS", "BV", "AG", "LLC", "Group", "Holdings",
		"Co.", "& Sons", "International", "Europe", "UK", "France", "Germany", "Iberia", "Nordic", "Americas",
		"Asia", "Services", "Solutions", "Online", "Plus", "One", "Hub", "Works", "Center",
	}
	partnerSuffixes = []string{"Partners", "Alliance", "Channel", "Resellers", "Integrators", "Advisors"}
	cities          = []string{
		"Paris", "London", "Berlin", "Madrid", "Lisbon", "Dublin", "Milan", "Vienna", "Prague", "Warsaw",
		"Oslo", "Helsinki", "Zurich", "Brussels", "Amsterdam", "Boston", "Austin", "Denver", "Toronto", "Sydney",
	}

	firstNames = []string{
		"Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mason",
		"Amelia", "Logan", "Harper", "Elijah", "Ella", "James", "Chloe", "Oliver", "Lily", "Benjamin",
		"Grace", "Jacob", "Zoe", "Henry", "Nora", "Alexander", "Leah", "Daniel", "Aria", "Matthew",
		"Hannah", "Samuel", "Layla", "David", "Scarlett", "Joseph", "Victoria", "Carter", "Madison", "Owen",
		"Camille", "Louis", "Manon", "Hugo", "Chloé", "Arthur", "Léa", "Jules", "Inès", "Gabriel",
		"Lena", "Jonas", "Mila", "Finn", "Clara", "Elias", "Lea", "Paul", "Marie", "Felix",
		"Lucia", "Mateo", "Martina", "Pablo", "Valeria", "Diego", "Carmen", "Javier", "Elena", "Sergio",
		"Giulia", "Marco", "Chiara", "Luca", "Sara", "Matteo", "Anna", "Andrea", "Alice", "Francesco",
		"Aisha", "Omar", "Fatima", "Yusuf", "Amira", "Hamza", "Nadia", "Karim", "Leila", "Rami",
		"Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Aditya", "Isha", "Rahul",
		"Yuki", "Haruto", "Sakura", "Ren", "Hina", "Sota", "Mei", "Kenji", "Aiko", "Takumi",
		"Ingrid", "Lars", "Astrid", "Erik", "Sigrid", "Nils", "Freya", "Anders", "Maja", "Sven",
	}
	lastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
		"Bernard", "Dubois", "Durand", "Lefebvre", "Leroy", "Moreau", "Simon", "Laurent", "Michel", "Fournier",
		"Girard", "Bonnet", "Mercier", "Blanc", "Guerin", "Faure", "Rousseau", "Morel", "Fontaine", "Chevalier",
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
		"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
		"Fernandez", "Ruiz", "Diaz", "Moreno", "Alvarez", "Romero", "Navarro", "Dominguez", "Gil", "Vazquez",
		"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Almeida", "Sousa", "Carvalho",
		"Khan", "Ali", "Hassan", "Hussain", "Ahmed", "Rahman", "Malik", "Aziz", "Haddad", "Nasser",
		"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Joshi",
		"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
		"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Nilsson", "Eriksson", "Lindqvist", "Berg", "Dahl",
		"O'Brien", "Murphy", "Kelly", "Walsh", "Byrne", "Ryan", "O'Connor", "McCarthy", "Doyle", "Quinn",
	}
)

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// nameSource makes tenant names that are unique (case-insensitively) against everything it
// was told about.
type nameSource struct {
	r    *rand.Rand
	seen map[string]bool
}

func newNameSource(r *rand.Rand, existing []string) *nameSource {
	s := &nameSource{r: r, seen: make(map[string]bool, len(existing))}
	for _, n := range existing {
		s.seen[strings.ToLower(n)] = true
	}
	return s
}

// company returns a new customer name such as "Harbor Logistics GmbH" or "Nova Care Services Lisbon".
func (s *nameSource) company() string {
	return s.unique(func() string {
		n := pick(s.r, companyPrefixes) + " " + pick(s.r, companyCores) + " " + pick(s.r, companySuffixes)
		if s.r.IntN(10) < 3 {
			n += " " + pick(s.r, cities)
		}
		return n
	})
}

// partner returns a new partner name such as "Orion Cloud Alliance".
func (s *nameSource) partner() string {
	return s.unique(func() string {
		return pick(s.r, companyPrefixes) + " " + pick(s.r, companyCores) + " " + pick(s.r, partnerSuffixes)
	})
}

func (s *nameSource) unique(make func() string) string {
	for i := 0; ; i++ {
		n := make()
		if i > 20 {
			// The space is large (about two million names), so this only happens when asked
			// for far more tenants than the docs describe; a number keeps the name unique.
			n += " " + strconv.Itoa(s.r.IntN(1_000_000))
		}
		if k := strings.ToLower(n); !s.seen[k] {
			s.seen[k] = true
			return n
		}
	}
}

// person returns a first and last name.
func person(r *rand.Rand) (first, last string) {
	return pick(r, firstNames), pick(r, lastNames)
}

// emailLocal turns a name into the ASCII local part of an email address.
func emailLocal(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteRune(c)
		case c == 'é' || c == 'è':
			b.WriteByte('e')
		case c == 'ü':
			b.WriteByte('u')
		}
	}
	return b.String()
}

// fragment returns a random run of three letters from s, lower-cased, or "" when s has none.
func fragment(r *rand.Rand, s string) string {
	rs := []rune(strings.ToLower(s))
	var starts []int
	for i := 0; i+3 <= len(rs); i++ {
		if isLetter(rs[i]) && isLetter(rs[i+1]) && isLetter(rs[i+2]) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return ""
	}
	i := starts[r.IntN(len(starts))]
	return string(rs[i : i+3])
}

func isLetter(c rune) bool { return c >= 'a' && c <= 'z' || c > 0x7f && c != ' ' }
