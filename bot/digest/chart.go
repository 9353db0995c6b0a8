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

// Chart draws daily active members and messages as a PNG. Labels are in
// Chinese when locale is zh and fontPath names a CJK font that loads;
// otherwise they are English, so the chart is always readable.
func Chart(days []metrics.Day, locale, title, fontPath string) ([]byte, error) {
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

	dau := make(plotter.XYs, len(days))
	msgs := make(plotter.Values, len(days))
	for i, d := range days {
		dau[i] = plotter.XY{X: float64(i), Y: float64(d.Active)}
		msgs[i] = float64(d.Messages)
	}
	ticks := dateTicks(days)

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
	top.Add(line, plotter.NewGrid())
	top.Y.Min = 0

	bottom := newPlot(handler, base, labels.messages, ticks)
	bars, err := plotter.NewBarChart(msgs, vg.Points(max(1, 560/float64(len(days))-1)))
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	bars.Color = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	bars.LineStyle.Width = 0
	bottom.Add(bars, plotter.NewGrid())
	bottom.Y.Min = 0

	// Same x range on both panels so days line up.
	for _, p := range []*plot.Plot{top, bottom} {
		p.X.Min, p.X.Max = -0.5, float64(len(days))-0.5
	}
	const w, h = 8 * vg.Inch, 5 * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(12), PadY: vg.Points(8)}
	top.Draw(tiles.At(dc, 0, 0))
	bottom.Draw(tiles.At(dc, 0, 1))
	// Fast compression: half the time of a digest went to PNG encoding, for
	// a file a few kilobytes smaller.
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
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
	title, dau, messages string
	canTitle             bool // the font can draw the caller's title
}

// chartLabelsIn reads the chart's labels from bot/i18n. Only the CJK font
// can draw the caller's title; the built-in Latin one may lack its glyphs.
func chartLabelsIn(lang string) labelSet {
	return labelSet{
		title:    i18n.T(lang, "chart.title"),
		dau:      i18n.T(lang, "chart.dau"),
		messages: i18n.T(lang, "chart.messages"),
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

// dateTicks labels every day of a short chart, else every seventh day.
type dateTicks []metrics.Day

func (d dateTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	step := 7
	if len(d) <= 14 {
		step = 1
	}
	for i, day := range d {
		label := ""
		if i%step == 0 {
			label = day.Date[5:] // MM-DD
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
	}
	return ticks
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
