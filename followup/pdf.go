package followup

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// Guide is what the preparation PDF shows.
type Guide struct {
	Title           string
	DurationMinutes int
	Preparation     []string
	Version         int
	ClinicName      string
	ClinicAddress   string
	ClinicPhone     string
	BookingURL      string
}

// renderEpoch is the PDF's creation date: fixed, so one procedure version
// always renders to the same bytes (and the same sha256 in the cache).
var renderEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// RenderGuide renders the guide as an A4 PDF with the core Helvetica font
// (no font files to ship); text is translated to cp1252, which covers the
// catalogue's Western European languages.
func RenderGuide(g Guide) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(renderEpoch)
	pdf.SetModificationDate(renderEpoch)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(g.Title, true)
	pdf.SetAuthor(g.ClinicName, true)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 11)
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(0, 6, tr(g.ClinicName), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(0, 5, tr(g.ClinicAddress), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 5, tr("Phone: "+g.ClinicPhone), "", 1, "L", false, 0, "")
	pdf.Ln(8)

	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "B", 18)
	pdf.MultiCell(0, 9, tr("Preparing for your "+g.Title), "", "L", false)
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, tr(fmt.Sprintf("The appointment takes about %d minutes. Please plan to arrive 10 minutes early.", g.DurationMinutes)), "", "L", false)
	pdf.Ln(4)

	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 8, tr("How to prepare"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	for i, step := range g.Preparation {
		pdf.MultiCell(0, 6, tr(fmt.Sprintf("%d. %s", i+1, step)), "", "L", false)
		pdf.Ln(1)
	}
	if len(g.Preparation) == 0 {
		pdf.MultiCell(0, 6, tr("No special preparation is needed."), "", "L", false)
	}
	pdf.Ln(6)

	pdf.SetFont("Helvetica", "B", 13)
	pdf.CellFormat(0, 8, tr("Book your appointment"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	if g.BookingURL != "" {
		pdf.MultiCell(0, 6, tr("Online: "+g.BookingURL), "", "L", false)
	}
	pdf.MultiCell(0, 6, tr("By phone: "+g.ClinicPhone), "", "L", false)

	pdf.SetY(-30)
	pdf.SetFont("Helvetica", "", 8)
	pdf.SetTextColor(120, 120, 120)
	pdf.MultiCell(0, 4, tr(fmt.Sprintf("%s - preparation guide, version %d. If you have questions, call us before your appointment.", g.ClinicName, g.Version)), "", "L", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render guide: %w", err)
	}
	return buf.Bytes(), nil
}
