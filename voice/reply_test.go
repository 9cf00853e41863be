package voice

import "testing"

func TestJoinDelta(t *testing.T) {
	for _, tt := range []struct{ prev, next, want string }{
		{"A blood test, certainly.", "Which day?", " Which day?"},
		{"Sure", ",", ","},
		{"Dr.", " Okafor", " Okafor"},
		{"ten", " thirty", " thirty"},
		{"", "Hello", "Hello"},
		{"Is it 10.", "30?", "30?"},
	} {
		if got := joinDelta(tt.prev, tt.next); got != tt.want {
			t.Errorf("joinDelta(%q, %q) = %q, want %q", tt.prev, tt.next, got, tt.want)
		}
	}
}
