using System.Globalization;
using EntryModel.Analysis.Cost;
using ScottPlot;

namespace EntryModel.Analysis.Compare;

/// <summary>
/// The comparison as a picture (ScottPlot): above, what each strategy's own unwinder buys (share of
/// exact samples over the whole sweep) against what the strategy costs (instructions it adds to a
/// page fault's entry over none); below, the sweep's classes for every strategy and unwinder.
/// </summary>
public static class ComparePlot
{
    public static void SaveSvg(IReadOnlyList<CompareRow> rows, string path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cost = new Plot();
        CostAgainstReliability(cost, rows);
        var classes = new Plot();
        SweepClasses(classes, rows);

        // ScottPlot draws each panel; the file stacks the two documents as nested SVGs (its Multiplot saves no SVG).
        File.WriteAllText(path, Stack([(cost.GetSvgXml(Width, 450), 450), (classes.GetSvgXml(Width, 600), 600)]));
    }

    private const int Width = 1100;

    private static string Stack(IReadOnlyList<(string Svg, int Height)> panels)
    {
        var text = new System.Text.StringBuilder();
        int height = panels.Sum(p => p.Height);
        text.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">\n");
        int y = 0;
        foreach (var (svg, h) in panels)
        {
            string inner = svg;
            int start = inner.IndexOf("<svg", StringComparison.Ordinal);
            inner = inner[start..];
            text.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate(0,{y})\">\n").Append(inner).Append("\n</g>\n");
            y += h;
        }

        text.Append("</svg>\n");
        return text.ToString();
    }

    private static void CostAgainstReliability(Plot plot, IReadOnlyList<CompareRow> rows)
    {
        var none = rows.First(r => r.Strategy == "none").Cost.Path(StrategyCosts.PageFault).EntryInstructions;
        var placed = new Dictionary<(double, double), int>();
        foreach (var r in rows.Where(r => r.Own))
        {
            double x = r.Cost.Path(StrategyCosts.PageFault).EntryInstructions - none;
            var marker = plot.Add.Marker(x, r.ExactPercent, MarkerShape.FilledCircle, 10);
            marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"{r.Strategy}: {r.Unwinder}, {r.Cost.UnwindTableBytes} table bytes");

            // Strategies may share a point (the same cost and verdicts): their labels stack beside it.
            var spot = (x, Math.Round(r.ExactPercent));
            int k = placed[spot] = placed.GetValueOrDefault(spot) + 1;
            var label = plot.Add.Text(r.Strategy, x, r.ExactPercent);
            label.LabelFontSize = 12;
            label.OffsetX = 8;
            label.OffsetY = -16 + (16 * (k - 1));
        }

        plot.Title("Cost against reliability: each strategy with its own unwinder");
        plot.XLabel("instructions added to a page fault's entry, over none");
        plot.YLabel("exact traces, % of all sweep samples");
        plot.Axes.SetLimitsY(0, 105);
        plot.Axes.SetLimitsX(-1, 8);
        plot.ShowLegend(Alignment.LowerRight);
    }

    private static void SweepClasses(Plot plot, IReadOnlyList<CompareRow> rows)
    {
        string[] classes = ["exact", "incomplete (unreliable)", "wrong (not reliable)", "wrong while reliable"];
        var colors = new[] { Colors.SeaGreen, Colors.Orange, Colors.IndianRed, Colors.Black };
        var ticks = new List<Tick>();
        for (int i = 0; i < rows.Count; i++)
        {
            var t = rows[i].Sweep;
            double[] shares = [t.Exact, t.Incomplete, t.Wrong, t.WrongWhileReliable];
            double total = Math.Max(1, t.Samples);
            double bottom = 0;
            for (int c = 0; c < shares.Length; c++)
            {
                double top = bottom + (100.0 * shares[c] / total);
                var bar = new Bar { Position = i, ValueBase = bottom, Value = top, FillColor = colors[c] };
                plot.Add.Bar(bar);
                bottom = top;
            }

            ticks.Add(new Tick(i, $"{rows[i].Strategy} / {rows[i].Unwinder}"));
        }

        for (int c = 0; c < classes.Length; c++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = classes[c], FillColor = colors[c] });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 170;
        plot.Title("Sweep classes over every scenario and event (% of samples)");
        plot.YLabel("% of samples");
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(Alignment.UpperRight);
    }
}
