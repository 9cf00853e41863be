package pii

import "testing"

func TestSoundKeyHearsSplitDrugNames(t *testing.T) {
	for _, c := range [][2]string{
		{"war far in", "warfarin"},
		{"riva rocks a ban", "rivaroxaban"},
		{"levo thigh rock seen", "levothyroxine"},
		{"me man teen", "memantine"},
		{"col chi seen", "colchicine"},
		{"lacta loos", "lactulose"},
		{"tick a grell or", "ticagrelor"},
	} {
		if a, b := soundKey(c[0]), soundKey(c[1]); a != b {
			t.Errorf("soundKey(%q) = %q, soundKey(%q) = %q", c[0], a, c[1], b)
		}
	}
	if soundKey("warm fan") == soundKey("warfarin") {
		t.Error("different words share a key")
	}
}

func TestSpokenDrugNames(t *testing.T) {
	requireFinds(t, NewDetector(Options{}), TypeMedication, []finds{
		{"um hes on war far in since the op", "war far in"},
		{"she takes met for min five hundred twice a day", "met for min five hundred"},
		{"my dads on riva rocks a ban", "riva rocks a ban"},
		// one sound from the medicine: found with a cue and a word that is not English
		{"my son is on the ari pip razor injection once a month", "ari pip razor"},
		// British speech drops the r: "closer" is "cloza"
		{"my brother takes closer peen and needs his bloods", "closer peen"},
	}, []string{
		// ordinary words that sound like nothing on the lists stay ordinary
		"how far in are you on the motorway",
		"we went for a walk and then had tea",
		"i was on the phone for ages this morning",
		// near matches of English words, cued only by "of" or a number
		"he can't get out of bed since he had a fall",
		"ill be there at four",
		"ive had diarrhoea and sickness for two days",
	})
}

// A drug that starts with a vowel is heard as "a" or "i" before the rest
// ("a mio da rone"); one in a list or after "allergic to" is cued by its
// neighbour (fresh development batch 92 missed these). Runs that start
// with an article and sound like no medicine stay ordinary.
func TestSpokenDrugsAfterArticlesAndInLists(t *testing.T) {
	requireFinds(t, NewDetector(Options{RulesOnly: true}), TypeMedication, []finds{
		{"yeah i've been taking i bu profen together like they said", "i bu profen"},
		{"um i'm on a mio da rone for my heart", "a mio da rone"},
		{"can i get a seat a zola mide for the trek", "a seat a zola mide"},
		{"she uses lat an oh prost drops and tim oh lol in the morning", "tim oh lol"},
		{"she's allergic to cal pol it brings her out in a rash", "cal pol"},
	}, []string{
		"i met a man at the bus stop",
		"can i have a seat at the back please",
		"i said a prayer for him last night",
		"we went to the shops and tim came too",
		"she's allergic to cats and dogs",
	})
}
