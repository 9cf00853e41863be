package bench

import (
	"image/color"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// plotVoice draws the latency distributions as cumulative curves: what
// share of turns got their first audio within x ms, streaming beside the
// sequential baseline, with the SLA's 700 and 800 ms marked.
func plotVoice(path string, streaming, sequential voiceRun) error {
	p := plot.New()
	p.Title.Text = "Voice path: time to first audio (fakes with the issue's provider latencies)"
	p.X.Label.Text = "ms (log scale)"
	p.Y.Label.Text = "share of turns"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top, p.Legend.Left = false, false
	p.Add(plotter.NewGrid())

	var ttfb, noFiller, response, seq []time.Duration
	for _, r := range streaming.reports {
		t := r.Times
		ttfb = append(ttfb, t.FirstFrame.Sub(t.Final))
		noFiller = append(noFiller, t.FirstAnswerFrame.Sub(t.Final))
		response = append(response, t.FirstFrame.Sub(t.LastVoiced))
	}
	for _, r := range sequential.reports {
		seq = append(seq, r.Times.FirstAnswerFrame.Sub(r.Times.Final))
	}
	xMax := 0.0
	for i, c := range []struct {
		name string
		ds   []time.Duration
		col  color.RGBA
	}{
		{"TTFB (filler counts)", ttfb, color.RGBA{R: 31, G: 119, B: 180, A: 255}},
		{"TTFB (answer only)", noFiller, color.RGBA{R: 44, G: 160, B: 44, A: 255}},
		{"response (end of speech to audio)", response, color.RGBA{R: 255, G: 127, B: 14, A: 255}},
		{"TTFB, sequential baseline", seq, color.RGBA{R: 214, G: 39, B: 40, A: 255}},
	} {
		if len(c.ds) == 0 {
			continue
		}
		pts := cdf(c.ds)
		xMax = max(xMax, pts[len(pts)-1].X)
		line, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		line.Color, line.Width = c.col, vg.Points(1.5)
		if i == 3 {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(line)
		p.Legend.Add(c.name, line)
	}
	for _, sla := range []float64{700, 800} {
		l, err := plotter.NewLine(plotter.XYs{{X: sla, Y: 0}, {X: sla, Y: 1}})
		if err != nil {
			return err
		}
		l.Color, l.Dashes = color.Gray{Y: 120}, []vg.Length{vg.Points(2), vg.Points(2)}
		p.Add(l)
	}
	// A log scale keeps the streaming curves readable beside the
	// sequential baseline's long tail.
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	p.X.Min, p.X.Max = 10, max(xMax, 1000)
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p.Save(9*vg.Inch, 5*vg.Inch, path)
}

// cdf is the empirical cumulative distribution of ds in ms.
func cdf(ds []time.Duration) plotter.XYs {
	s := slices.Clone(ds)
	slices.Sort(s)
	pts := make(plotter.XYs, len(s))
	for i, d := range s {
		pts[i] = plotter.XY{X: max(float64(d.Microseconds())/1000, 10), Y: float64(i+1) / float64(len(s))}
	}
	return pts
}
