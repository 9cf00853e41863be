package embedded

import (
	"slices"
	"strings"
	"testing"
)

// TestRequirementsNameThePackages: Requirements (what Available checks and
// the Dockerfile installs) and PackagesSTT/PackagesTTS (what error
// messages name) are the same set of Debian packages, and a missing
// engine is named by its package.
func TestRequirementsNameThePackages(t *testing.T) {
	var fromRequirements []string
	for _, r := range Requirements {
		if (r.Binary == "") == (r.File == "") || r.Package == "" {
			t.Fatalf("requirement %+v: exactly one of Binary and File, and a Package", r)
		}
		if !slices.Contains(fromRequirements, r.Package) {
			fromRequirements = append(fromRequirements, r.Package)
		}
	}
	named := strings.Fields(PackagesSTT + " " + PackagesTTS)
	slices.Sort(fromRequirements)
	slices.Sort(named)
	if !slices.Equal(fromRequirements, named) {
		t.Fatalf("Requirements install %v, PackagesSTT and PackagesTTS name %v", fromRequirements, named)
	}

	t.Setenv("PATH", t.TempDir())
	err := Available()
	if err == nil {
		t.Fatal("Available with no engine on PATH")
	}
	for _, r := range Requirements {
		if r.Binary != "" && !strings.Contains(err.Error(), r.Package) {
			t.Errorf("%s missing, but %q does not name %s", r.Binary, err, r.Package)
		}
	}
}
