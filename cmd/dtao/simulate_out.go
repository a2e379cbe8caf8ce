package main

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/dtao-go/dtao"
	"github.com/dtao-go/dtao/sim"
	"github.com/dtao-go/dtao/units"
)

// maxChartPoints bounds the points of each chart line: the recorder keeps
// every k-th block, k chosen from the run's length.
const maxChartPoints = 2000

// recorder writes --out's CSV files as the blocks run and keeps the
// chart points.
type recorder struct {
	dir     string
	netuids []units.NetUID
	files   []*os.File
	blocks  *bufio.Writer
	series  [4]*bufio.Writer // price, moving price, TAO reserve, TAO in
	every   uint64
	n       uint64
	row     []byte

	x                                []float64
	price, moving, reserve, injected [][]float64 // per subnet
	cumInjected                      []float64
	issuance, cumMinted, cumRecycled []float64
	totalMinted, totalRecycled       units.TAO
}

var seriesFiles = [4]string{"price.csv", "moving_price.csv", "tao_reserve.csv", "tao_in.csv"}

// newRecorder creates dir and the CSV files with their headers.
func newRecorder(dir string, netuids []units.NetUID, blocks uint64) (*recorder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r := &recorder{dir: dir, netuids: netuids, every: max(1, blocks/maxChartPoints)}
	open := func(name, header string) (*bufio.Writer, error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		r.files = append(r.files, f)
		w := bufio.NewWriter(f)
		_, err = w.WriteString(header + "\n")
		return w, err
	}
	var err error
	if r.blocks, err = open("blocks.csv", "block,emission,minted,recycled,total_issuance,epochs_run"); err != nil {
		r.close()
		return nil, err
	}
	header := "block"
	for _, id := range netuids {
		header += ",sn" + strconv.Itoa(int(id))
	}
	for i, name := range seriesFiles {
		if r.series[i], err = open(name, header); err != nil {
			r.close()
			return nil, err
		}
	}
	n := len(netuids)
	r.price, r.moving, r.reserve, r.injected = make([][]float64, n), make([][]float64, n), make([][]float64, n), make([][]float64, n)
	r.cumInjected = make([]float64, n)
	return r, nil
}

// close closes the files, returning the first error.
func (r *recorder) close() error {
	var errs []error
	for _, f := range r.files {
		errs = append(errs, f.Close())
	}
	r.files = nil
	return errors.Join(errs...)
}

// block records one block: a row of each CSV, and every k-th block the
// chart points. Floats are for the charts only.
func (r *recorder) block(l *dtao.Ledger, rep dtao.BlockReport, taoIn []units.TAO) {
	b := strconv.AppendUint(r.row[:0], rep.Block, 10)
	r.row = b
	fmt.Fprintf(r.blocks, "%d,%d,%d,%d,%d,%d\n", rep.Block, rep.Emission.Rao(), rep.Minted.Rao(), rep.Recycled.Rao(),
		l.TotalIssuance().Rao(), rep.EpochsRun)
	r.totalMinted = r.totalMinted.SaturatingAdd(rep.Minted)
	r.totalRecycled = r.totalRecycled.SaturatingAdd(rep.Recycled)
	for i := range r.series {
		r.series[i].Write(b)
	}
	keep := r.n%r.every == 0
	r.n++
	if keep {
		r.x = append(r.x, float64(rep.Block))
		r.issuance = append(r.issuance, l.TotalIssuance().Float64())
		r.cumMinted = append(r.cumMinted, r.totalMinted.Float64())
		r.cumRecycled = append(r.cumRecycled, r.totalRecycled.Float64())
	}
	for i, id := range r.netuids {
		st, _ := l.Subnet(id)
		price := st.Pool.Price()
		fmt.Fprintf(r.series[0], ",%s", price.Decimal())
		fmt.Fprintf(r.series[1], ",%s", st.MovingPrice.String())
		fmt.Fprintf(r.series[2], ",%d", st.Pool.TAO.Rao())
		fmt.Fprintf(r.series[3], ",%d", taoIn[i].Rao())
		r.cumInjected[i] += taoIn[i].Float64()
		if keep {
			r.price[i] = append(r.price[i], price.Float64())
			r.moving[i] = append(r.moving[i], st.MovingPrice.Float64())
			r.reserve[i] = append(r.reserve[i], st.Pool.TAO.Float64())
			r.injected[i] = append(r.injected[i], r.cumInjected[i])
		}
	}
	for i := range r.series {
		r.series[i].WriteByte('\n')
	}
}

// finish flushes and closes the CSV files and draws the charts.
func (r *recorder) finish(s *sim.Simulation) error {
	var errs []error
	errs = append(errs, r.blocks.Flush())
	for _, w := range r.series {
		errs = append(errs, w.Flush())
	}
	errs = append(errs, r.close())
	if err := errors.Join(errs...); err != nil {
		return err
	}
	labels := make([]string, len(r.netuids))
	for i, id := range r.netuids {
		labels[i] = "sn" + strconv.Itoa(int(id))
	}
	charts := []struct {
		file, title, y string
		lines          [][]float64
		labels         []string
	}{
		{"price.png", "Pool price", "TAO per alpha", r.price, labels},
		{"moving_price.png", "Moving price", "TAO per alpha", r.moving, labels},
		{"tao_reserve.png", "TAO reserve", "TAO", r.reserve, labels},
		{"emission.png", "TAO injected, cumulative", "TAO", r.injected, labels},
		{"issuance.png", "Issuance and emission, cumulative", "TAO",
			[][]float64{r.issuance, r.cumMinted, r.cumRecycled}, []string{"total issuance", "minted", "recycled"}},
	}
	for _, c := range charts {
		if err := r.lineChart(c.file, c.title, c.y, c.lines, c.labels); err != nil {
			return fmt.Errorf("%s: %w", c.file, err)
		}
	}
	if err := stakeChart(filepath.Join(r.dir, "stake.png"), s); err != nil {
		return fmt.Errorf("stake.png: %w", err)
	}
	return nil
}

// lineChart draws one line per series against the recorded blocks, with
// a legend when there are at most 16 lines.
func (r *recorder) lineChart(file, title, yLabel string, lines [][]float64, labels []string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "block"
	p.X.Tick.Marker = blockTicks{}
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	for i, ys := range lines {
		pts := make(plotter.XYs, len(ys))
		for j, y := range ys {
			pts[j] = plotter.XY{X: r.x[j], Y: y}
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		line.Color = plotutil.Color(i)
		line.Dashes = plotutil.Dashes(i / 7)
		p.Add(line)
		if len(lines) <= 16 {
			p.Legend.Add(labels[i], line)
		}
	}
	if len(lines) <= 16 {
		// Headroom for the legend, which sits at the top.
		p.Y.Max += (p.Y.Max - p.Y.Min) * 0.4
	}
	return p.Save(10*vg.Inch, 6*vg.Inch, filepath.Join(r.dir, file))
}

// stakeChart draws the validators' stake values at the end, largest
// first: each target's alpha valued at its subnet's price (root stake is
// TAO), on a log scale.
func stakeChart(path string, s *sim.Simulation) error {
	l := s.Ledger()
	var values []float64
	for _, t := range s.Agents().Targets {
		alpha := l.TotalHotkeyAlpha(t.Hotkey, t.NetUID)
		v := alpha.Float64()
		if t.NetUID != dtao.RootNetUID {
			p, _ := l.Pool(t.NetUID)
			price := p.Price()
			v *= price.Float64()
		}
		if v > 0 {
			values = append(values, v)
		}
	}
	slices.SortFunc(values, func(a, b float64) int { return cmp.Compare(b, a) })
	p := plot.New()
	p.Title.Text = "Stake distribution: validators' stake value, largest first"
	p.X.Label.Text = "rank"
	p.Y.Label.Text = "TAO (log scale)"
	pts := make(plotter.XYs, len(values))
	for i, v := range values {
		pts[i] = plotter.XY{X: float64(i + 1), Y: v}
	}
	if len(pts) > 0 {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		line.Color = plotutil.Color(0)
		p.Add(line)
	}
	return p.Save(10*vg.Inch, 6*vg.Inch, path)
}

// blockTicks are the default ticks labelled as whole block numbers.
type blockTicks struct{}

// Ticks implements plot.Ticker.
func (blockTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', 0, 64)
		}
	}
	return ts
}
