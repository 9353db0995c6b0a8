package digest

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	xfont "golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/pulsebot/pulse/bot/i18n"
	"github.com/pulsebot/pulse/bot/metrics"
)

// cjkFontPaths are where Linux distributions and macOS keep fonts that
// cover Chinese; the first one found is used for zh charts.
var cjkFontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/System/Library/Fonts/PingFang.ttc",
	"/System/Library/Fonts/STHeiti Medium.ttc",
}

// FindCJKFont returns the first CJK font file that exists, or "".
func FindCJKFont(extra string) string {
	for _, p := range append([]string{extra}, cjkFontPaths...) {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// Chart draws daily active members and messages as a PNG, with the week
// starting on the date week (YYYY-MM-DD; "" for none) shaded. Labels are in
// Chinese when locale is zh and fontPath names a CJK font that loads;
// otherwise they are English, so the chart is always readable.
func Chart(days []metrics.Day, locale, title, fontPath, week string) ([]byte, error) {
	if len(days) == 0 {
		return nil, fmt.Errorf("chart: no days to draw")
	}
	fonts := font.NewCache(liberation.Collection())
	base := font.Font{Typeface: "Liberation", Variant: "Sans"}
	// The labels' language: English unless a CJK font loads for zh.
	lang := i18n.En
	if locale == i18n.Zh && fontPath != "" {
		if face, err := loadFace(fontPath); err == nil {
			fonts.Add(font.Collection{face})
			base = face.Font
			lang = i18n.Zh
		}
	}
	labels := chartLabelsIn(lang)
	handler := text.Plain{Fonts: fonts}
	lay := chartLayout(days, week)

	dau := make(plotter.XYs, len(days))
	msgs := make([]float64, len(days))
	for i, d := range days {
		dau[i] = plotter.XY{X: float64(i), Y: float64(d.Active)}
		msgs[i] = float64(d.Messages)
	}
	ticks := dateTicks(days)
	band := weekBand{from: lay.BandFrom, to: lay.BandTo, color: bandColor}

	top := newPlot(handler, base, labels.dau, ticks)
	if title != "" && labels.canTitle {
		top.Title.Text = title
	} else {
		top.Title.Text = labels.title
	}
	line, err := plotter.NewLine(dau)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	line.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	line.Width = vg.Points(2)
	if band.shown() {
		top.Add(band)
		top.Legend.Add(labels.week, band)
		top.Legend.Top, top.Legend.Left = true, true
		top.Legend.XOffs, top.Legend.YOffs = vg.Points(4), -vg.Points(2)
	}
	top.Add(plotter.NewGrid(), line)
	top.Y.Min, top.Y.Max = 0, lay.DAUTop

	bottom := newPlot(handler, base, labels.messages, ticks)
	if band.shown() {
		bottom.Add(band)
	}
	bottom.Add(plotter.NewGrid(), bars{spans: lay.Bars, heights: msgs, color: color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}})
	bottom.Y.Min, bottom.Y.Max = 0, lay.MessagesTop

	// Same x range on both panels so days line up.
	for _, p := range []*plot.Plot{top, bottom} {
		p.X.Min, p.X.Max = lay.XMin, lay.XMax
	}
	const w, h = 8 * vg.Inch, 5 * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(12), PadY: vg.Points(8)}
	// Aligned, so that both panels' days share their x positions.
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	// Fast compression: half the time of a digest went to PNG encoding, for
	// a file a few kilobytes smaller.
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

// barWidth is a bar's width in days: the gap between bars is a fifth of
// the tick spacing.
const barWidth = 0.8

// headroom is how far above the highest value the y axis goes, as a
// fraction of it: room for the legend and the line's width.
const headroom = 0.2

var bandColor = color.RGBA{R: 0xe8, G: 0xee, B: 0xf6, A: 0xff}

// span is a stretch of the x axis, in days (day i is at x = i).
type span struct{ Lo, Hi float64 }

// layout is the chart's geometry in data units: day i's tick is at x = i.
type layout struct {
	XMin, XMax       float64
	Bars             []span  // day i's bar, centred on its tick
	BandFrom, BandTo float64 // the digest's week; equal when not shown
	DAUTop           float64 // the top of each panel's y axis
	MessagesTop      float64
}

// chartLayout places the days' bars, the digest's week (the 7 days from
// the date week on) and the top of each panel's y axis.
func chartLayout(days []metrics.Day, week string) layout {
	n := len(days)
	l := layout{XMin: -0.5, XMax: float64(n) - 0.5, Bars: make([]span, n)}
	var maxDAU, maxMsgs float64
	first := -1
	for i, d := range days {
		l.Bars[i] = span{float64(i) - barWidth/2, float64(i) + barWidth/2}
		maxDAU = max(maxDAU, float64(d.Active))
		maxMsgs = max(maxMsgs, float64(d.Messages))
		if first < 0 && week != "" && d.Date >= week {
			first = i
		}
	}
	if first >= 0 {
		// The week's days present: the dates are consecutive.
		last := min(first+6, n-1)
		for last > first && days[last].Date > weekEnd(week) {
			last--
		}
		if days[first].Date <= weekEnd(week) {
			l.BandFrom, l.BandTo = float64(first)-0.5, float64(last)+0.5
		}
	}
	l.DAUTop, l.MessagesTop = axisTop(maxDAU), axisTop(maxMsgs)
	return l
}

// weekEnd is the Sunday of the week starting on monday (YYYY-MM-DD).
func weekEnd(monday string) string {
	t, err := time.Parse(time.DateOnly, monday)
	if err != nil {
		return monday
	}
	return t.AddDate(0, 0, 6).Format(time.DateOnly)
}

// axisTop is the top of a y axis whose highest value is v: headroom above
// it, and at least 1 so that an empty panel still has a scale.
func axisTop(v float64) float64 {
	return max(1, v*(1+headroom))
}

// bars draws one bar per day over the spans the layout gives.
type bars struct {
	spans   []span
	heights []float64
	color   color.Color
}

func (b bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, s := range b.spans {
		h := b.heights[i]
		if h <= 0 {
			continue
		}
		pts := []vg.Point{{X: trX(s.Lo), Y: trY(0)}, {X: trX(s.Hi), Y: trY(0)}, {X: trX(s.Hi), Y: trY(h)}, {X: trX(s.Lo), Y: trY(h)}}
		c.FillPolygon(b.color, c.ClipPolygonXY(pts))
	}
}

// weekBand shades the digest's week behind a panel's data.
type weekBand struct {
	from, to float64
	color    color.Color
}

func (w weekBand) shown() bool { return w.to > w.from }

func (w weekBand) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(max(w.from, p.X.Min)), trX(min(w.to, p.X.Max))
	y0, y1 := trY(p.Y.Min), trY(p.Y.Max)
	c.FillPolygon(w.color, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
}

// Thumbnail draws the band's swatch in the legend.
func (w weekBand) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(w.color, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	c.StrokeLines(draw.LineStyle{Color: color.RGBA{R: 0xa8, G: 0xb8, B: 0xd0, A: 0xff}, Width: vg.Points(0.5)},
		[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
}

func newPlot(h text.Handler, f font.Font, ylabel string, ticks plot.Ticker) *plot.Plot {
	p := plot.New()
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		s.Handler = h
		s.Font.Typeface, s.Font.Variant = f.Typeface, f.Variant
	}
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = ticks
	p.Y.Tick.Marker = wholeTicks{}
	return p
}

type labelSet struct {
	title, dau, messages, week string
	canTitle                   bool // the font can draw the caller's title
}

// chartLabelsIn reads the chart's labels from bot/i18n. Only the CJK font
// can draw the caller's title; the built-in Latin one may lack its glyphs.
func chartLabelsIn(lang string) labelSet {
	return labelSet{
		title:    i18n.T(lang, "chart.title"),
		dau:      i18n.T(lang, "chart.dau"),
		messages: i18n.T(lang, "chart.messages"),
		week:     i18n.T(lang, "chart.week"),
		canTitle: lang == i18n.Zh,
	}
}

func loadFace(path string) (font.Face, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return font.Face{}, err
	}
	var f *xfont.Font
	if strings.EqualFold(filepath.Ext(path), ".ttc") {
		coll, err := xfont.ParseCollection(data)
		if err != nil {
			return font.Face{}, err
		}
		if f, err = coll.Font(0); err != nil {
			return font.Face{}, err
		}
	} else if f, err = xfont.Parse(data); err != nil {
		return font.Face{}, err
	}
	return font.Face{Font: font.Font{Typeface: "PulseCJK"}, Face: f}, nil
}

// dateTicks labels every day of a short chart, else every seventh day, as
// MM-DD; when the days span more than one year, the first label and the
// first of each new year carry the year on a second line.
type dateTicks []metrics.Day

func (d dateTicks) Ticks(min, max float64) []plot.Tick {
	labels := tickLabels(d)
	ticks := make([]plot.Tick, len(d))
	for i := range d {
		ticks[i] = plot.Tick{Value: float64(i), Label: labels[i]}
	}
	return ticks
}

// tickLabels are the x labels of the days, "" for a tick without one.
func tickLabels(days []metrics.Day) []string {
	step := 7
	if len(days) <= 14 {
		step = 1
	}
	years := len(days) > 0 && days[0].Date[:4] != days[len(days)-1].Date[:4]
	labels := make([]string, len(days))
	shownYear := ""
	for i, day := range days {
		if i%step != 0 {
			continue
		}
		labels[i] = day.Date[5:] // MM-DD
		if y := day.Date[:4]; years && y != shownYear {
			labels[i] += "\n" + y
			shownYear = y
		}
	}
	return labels
}

// wholeTicks labels counts without decimals.
type wholeTicks struct{}

func (wholeTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', -1, 64)
		}
	}
	return ticks
}
