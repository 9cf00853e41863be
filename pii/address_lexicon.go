package pii

import "strings"

// Street vocabulary. Written from postal conventions (USPS suffix
// abbreviations, Royal Mail thoroughfare types, the common continental
// street-type words), not from any test set.

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// streetSuffixes follow the street name: "Baker Street", "Redbud Dr".
var streetSuffixes = wordSet(`street st str road rd avenue ave av drive dr drv lane ln way close cl court ct
crescent cres place pl square sq terrace ter terr gardens gdns garden grove gr park parade pde boulevard blvd
highway hwy parkway pkwy row mews walk hill view rise green circle cir trail trl path alley aly bridge bypass
causeway cswy center centre common corner cove coves creek crest crossing xing dale dam estate estates expressway
expy extension ext falls ferry field fields ford forest fork fort freeway fwy gateway glen glens harbor harbour
haven heights hts hollow inlet island islands isle junction jct key keys knoll knolls lake lakes landing lodge loop
mall manor manors meadow meadows mill mills mission motorway mount mountain mountains orchard oval overpass pass
passage pike pines plain plains plaza point points port ports prairie ranch rapids ridge ridges river route run
shoal shoals shore shores spring springs spur station stream summit throughway trace track tunnel turnpike
underpass union unions valley viaduct villa village villages ville vista wall well wells wharf wynd brae gate
quay embankment approach chase croft fold garth grange yard bank copse dene drove hurst lea nook pastures vale
wood woods greens squares courts cliffs cliff bluff bluffs branch brook brooks burg bottom canyon cape camp curve
divide flat flats forge groves harbors hills lights lock locks neck parks radial ramp rest roads skyway
stravenue streets trafficway views ways crossroad crossroads circus broadway bay`)

// strongStreetSuffixes are the ones that are not also common surnames or
// nouns, so "Marina Fort Street" counts without a house number while
// "Tom Hill" does not.
var strongStreetSuffixes = wordSet(`street st str road rd avenue ave drive boulevard blvd crescent terrace square
gardens parade highway hwy parkway pkwy mews alley causeway expressway freeway turnpike gateway coves courts
points greens squares islands cliffs prairie plaza trail circle lane close place bridge`)

// streetPrefixes come before the street name: "Rue Dielhère", "ul. Miła",
// "Via Roma".
var streetPrefixes = wordSet(`rue via viale vicolo rua calle avenida paseo plaza praça praca largo travessa
carrer strada boulevard bd chemin place piazza piazzale corso allée allee quai impasse ul ulica aleja ulitsa
prospekt calea bulevardul carretera camino ronda passeig rambla pasaje praceta estrada rodovia alameda avenue
cours route sentier contrada borgo lungomare salita`)

// streetEndings are the street-type endings of compound street names in
// German, Dutch, Nordic, Finnish, Hungarian and Slavic addresses
// ("Wingertweg", "Laukaantie", "Ránargata").
var streetEndings = []string{
	"straße", "strasse", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "steig", "pfad",
	"chaussee", "vej", "vejen", "gade", "gaden", "stræde", "vænget", "vang", "vegen", "veien", "vei", "gata",
	"gatan", "gate", "gaten", "vägen", "väg", "gränd", "stig", "stigen", "stien", "backe", "tie", "katu",
	"kuja", "polku", "tanhua", "raitti", "väylä", "laan", "straat", "gracht", "plein", "steeg", "kade",
	"dreef", "singel", "út", "utca", "útja", "körút", "tér", "köz", "sétány", "ulice", "náměstí", "třída",
	"nábřeží", "cesta", "braut", "vegur", "stígur", "sgasse", "markt", "hof", "berg", "park", "tori",
	"puistikko", "rinne", "mäki", "torget", "plads", "torv", "bakken",
}

// streetConnectors may sit inside a street name in lower case.
var streetConnectors = wordSet(`de del della delle dei degli di da do dos das du des la le les los las el van von
der den ten ter y e u rkp út utca útja sv san santa são st`)

// unitWords introduce a flat, suite or box: "Apt. 864", "Suite 5", "Flat 2".
var unitWords = wordSet(`apt apartment suite ste unit flat floor fl room rm bldg building`)

// addressCues before a span make a bare "Name 12" an address.
var addressCues = []string{
	"address", "addresses", "lives at", "live at", "lives on", "live on", "living at", "located at",
	"located in", "sent to", "send it to", "send to", "deliver to", "delivered to", "meet me at", "meet at",
	"moved to", "arrived at", "return to", "taxi to", "is at", "are at", "office is at", "drops you off at",
	"stop at", "corner of", "side of", "lived in", "live in", "it is", "it's in", "postcode", "post code",
	"zip", "following", "user", "at",
}

// measureWords after a number mean a quantity, not a house number
// ("20 minutes drive", "5 miles road").
var measureWords = wordSet(`minute minutes min mins hour hours hr hrs second seconds mile miles km kilometres
metres meters yard yards foot feet day days week weeks month months year years time times people kids children
tablets pills mg ml percent pounds dollars euros quid bucks`)
