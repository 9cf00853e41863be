package turn

import (
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		transcript string
		want       Completeness
	}{
		{"", Unknown},
		{"   ", Unknown},
		{"...", Unknown},
		// Finished.
		{"Can I come in on Tuesday?", Complete},
		{"yes", Complete},
		{"Yeah.", Complete},
		{"no thanks", Complete},
		{"tuesday at ten", Complete},
		{"Tuesday at 10.", Complete},
		{"at 10:30", Complete},
		{"around 3pm", Complete},
		{"half past two", Complete},
		{"eleven fifteen", Complete},
		{"I'd like to book a cleaning.", Complete},
		{"That's all, thank you!", Complete},
		{"yes it is", Complete},
		{"next friday morning", Complete},
		// Trailing off.
		{"My number is", Incomplete},
		{"my number is oh seven seven", Incomplete},
		{"My number is 07700 900.", Incomplete},
		{"it's 0 1 6 3 2", Incomplete},
		{"I need to cancel because", Incomplete},
		{"I'd like to book with the", Incomplete},
		{"um", Incomplete},
		{"Hi, um,", Incomplete},
		{"so I was thinking...", Incomplete},
		{"so I was thinking…", Incomplete},
		{"My date of birth is the", Incomplete},
		{"I was hoping to come in on", Incomplete},
		{"and", Incomplete},
		{"I'm", Incomplete},
		{"It's for my son and", Incomplete},
		{"I'd like", Incomplete},
		// Neither.
		{"i'd like to book a cleaning", Unknown},
		{"the afternoon would be better", Unknown},
		{"two", Unknown},
		{"I think", Unknown},
	}
	for _, tt := range tests {
		if got := Classify(tt.transcript); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.transcript, got, tt.want)
		}
	}
}

func TestWait(t *testing.T) {
	e := DefaultEndpointing()
	if !(e.SpeculateAfter < e.Complete && e.Complete < e.Unknown && e.Unknown < e.Incomplete) {
		t.Fatalf("defaults out of order: %+v", e)
	}
	for transcript, want := range map[string]time.Duration{
		"":                              e.Unknown,
		"Yes.":                          e.Complete,
		"my number is oh seven seven":   e.Incomplete,
		"the afternoon would be better": e.Unknown,
	} {
		if got := e.Wait(transcript); got != want {
			t.Errorf("Wait(%q) = %v, want %v", transcript, got, want)
		}
	}
	custom := Endpointing{SpeculateAfter: ms(100), Complete: ms(200), Unknown: ms(400), Incomplete: ms(900)}
	if custom.Wait("and") != ms(900) {
		t.Error("Wait ignores the fields")
	}
}

func TestTurnOverAndSpeculate(t *testing.T) {
	e := DefaultEndpointing()
	quiet := func(silence time.Duration) Frame {
		return Frame{At: ms(5000), LastVoicedAt: ms(5000) - silence, Silence: silence}
	}
	if e.TurnOver(Frame{At: ms(900), Silence: 0}, "") {
		t.Error("a turn ended before anyone spoke")
	}
	if e.Speculate(quiet(ms(180))) || !e.Speculate(quiet(ms(200))) {
		t.Error("Speculate not at SpeculateAfter")
	}
	if e.TurnOver(quiet(ms(280)), "Yes.") || !e.TurnOver(quiet(ms(300)), "Yes.") {
		t.Error("a complete turn does not end at Complete")
	}
	if e.TurnOver(quiet(ms(1000)), "my number is oh seven") || !e.TurnOver(quiet(ms(1200)), "my number is oh seven") {
		t.Error("a trailing turn does not end at Incomplete")
	}
	voiced := quiet(ms(2000))
	voiced.Voiced = true
	if e.TurnOver(voiced, "Yes.") {
		t.Error("a turn ended on a voiced frame")
	}
}

func TestClassifyInterruption(t *testing.T) {
	tests := []struct {
		transcript string
		want       Interruption
	}{
		{"", NoWords},
		{" . ", NoWords},
		{"mm-hmm", Backchannel},
		{"Mm hmm.", Backchannel},
		{"mhm", Backchannel},
		{"Uh-huh.", Backchannel},
		{"yeah", Backchannel},
		{"Yeahhh, okay.", Backchannel},
		{"OK", Backchannel},
		{"right, right", Backchannel},
		{"I see.", Backchannel},
		{"Got it, thank you.", Backchannel},
		{"oh okay", Backchannel},
		{"No.", Words},
		{"wait", Words},
		{"Sorry, I said Tuesday.", Words},
		{"yeah but not Tuesday", Words},
		{"yeah yeah yeah yeah yeah", Words},
		{"hang on", Words},
	}
	for _, tt := range tests {
		if got := ClassifyInterruption(tt.transcript); got != tt.want {
			t.Errorf("ClassifyInterruption(%q) = %v, want %v", tt.transcript, got, tt.want)
		}
	}
}

func TestStrings(t *testing.T) {
	if SpeechStart.String() != "speech_start" || Incomplete.String() != "incomplete" || Backchannel.String() != "backchannel" {
		t.Error("String names")
	}
}

// Whatever a recogniser returns, classifying it does not panic.
func TestClassifyGarbage(t *testing.T) {
	for _, s := range []string{"\xff\xfe", "—", "'", "- - -", "1,2,3", "a.m.", "mm-", "-", "…?", "\x00and"} {
		Classify(s)
		ClassifyInterruption(s)
	}
}
