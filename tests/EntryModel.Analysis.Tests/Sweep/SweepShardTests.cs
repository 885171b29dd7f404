using System.Diagnostics;
using EntryModel.Analysis.Sweep;

namespace EntryModel.Analysis.Tests.Sweep;

/// <summary>Shards of a sweep, in-process and as separate processes of the command line, merge into exactly the single run's result.</summary>
public class SweepShardTests
{
    [Test]
    public void Four_shards_merged_equal_the_whole_run()
    {
        var whole = InterruptSweepTests.Sweep("read-page-fault", "orc", SweepEvent.Nmi);
        var shards = Enumerable.Range(0, 4).Select(k => InterruptSweepTests.Sweep("read-page-fault", "orc", SweepEvent.Nmi, new SweepShard(k, 4))).ToList();

        Assert.That(shards.Sum(s => s.Points.Count), Is.EqualTo(whole.Points.Count));
        var merged = SweepResult.Merge([shards[2], shards[0], shards[3], shards[1]], out string? error);
        Assert.That(error, Is.Null);
        Assert.That(merged!.ToJson(), Is.EqualTo(whole.ToJson()));
    }

    [Test]
    public void A_missing_duplicate_or_foreign_shard_is_refused_with_the_reason()
    {
        var a = InterruptSweepTests.Sweep("preempted-task", "none", SweepEvent.Timer, new SweepShard(0, 2));
        var b = InterruptSweepTests.Sweep("preempted-task", "none", SweepEvent.Timer, new SweepShard(1, 2));
        var other = InterruptSweepTests.Sweep("preempted-task", "orc", SweepEvent.Timer, new SweepShard(1, 2));

        Assert.That(SweepResult.Merge([a], out string? missing), Is.Null);
        Assert.That(missing, Does.Contain("exactly once"));
        Assert.That(SweepResult.Merge([a, a], out string? twice), Is.Null);
        Assert.That(twice, Does.Contain("exactly once"));
        Assert.That(SweepResult.Merge([a, other], out string? foreign), Is.Null);
        Assert.That(foreign, Does.Contain("another sweep"));
        Assert.That(SweepResult.Merge([a, b], out _), Is.Not.Null);
    }

    [Test]
    public void The_result_survives_its_json_unchanged()
    {
        var result = InterruptSweepTests.Sweep("nmi-in-irq", "pt-regs-frame", SweepEvent.Nmi, new SweepShard(1, 3));

        Assert.That(SweepResult.FromJson(result.ToJson()).ToJson(), Is.EqualTo(result.ToJson()));
    }

    [Test]
    public void A_point_whose_classes_are_not_letters_of_the_four_classes_is_refused_when_read()
    {
        string json = InterruptSweepTests.Sweep("preempted-task", "none", SweepEvent.Timer, new SweepShard(0, 8)).ToJson();
        int at = json.IndexOf("\"c\":\"", StringComparison.Ordinal) + 5;
        string broken = json[..at] + "X" + json[(at + 1)..];

        Assert.That(() => SweepResult.FromJson(broken), Throws.InstanceOf<System.Text.Json.JsonException>().With.Message.Contains("do not match"));
    }

    [TestCase("2/4", true, 2, 4)]
    [TestCase("0/1", true, 0, 1)]
    [TestCase("4/4", false, 0, 0)]
    [TestCase("1/0", false, 0, 0)]
    [TestCase("x/4", false, 0, 0)]
    [TestCase("-1/4", false, 0, 0)]
    public void Shards_parse_as_k_of_n(string text, bool ok, int k, int n)
    {
        bool parsed = SweepShard.TryParse(text, out var shard, out string? error);

        Assert.That(parsed, Is.EqualTo(ok), error);
        if (ok)
        {
            Assert.That(shard, Is.EqualTo(new SweepShard(k, n)));
        }
        else
        {
            Assert.That(error, Is.Not.Empty);
        }
    }

    [Test]
    public void The_index_comes_from_slurm_first_then_kubernetes()
    {
        var both = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "3", ["JOB_COMPLETION_INDEX"] = "1" };
        var k8s = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" };

        Assert.That(SweepShard.FromEnvironment(4, both.GetValueOrDefault, out _), Is.EqualTo(new SweepShard(3, 4)));
        Assert.That(SweepShard.FromEnvironment(4, k8s.GetValueOrDefault, out _), Is.EqualTo(new SweepShard(1, 4)));
        Assert.That(SweepShard.FromEnvironment(4, _ => null, out _), Is.Null);
        Assert.That(SweepShard.FromEnvironment(2, k8s.GetValueOrDefault, out string? error), Is.Not.Null);
        Assert.That(SweepShard.FromEnvironment(1, k8s.GetValueOrDefault, out error), Is.Null);
        Assert.That(error, Does.Contain("JOB_COMPLETION_INDEX=1"));
    }

    /// <summary>
    /// As a batch scheduler runs it: four processes of the command line, each told its index the way
    /// Kubernetes Indexed Jobs tell it, then <c>merge</c>; the merged file equals a single run's.
    /// </summary>
    [Test]
    public void Four_processes_with_the_schedulers_index_merge_into_the_single_runs_file()
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-shards-").FullName;
        try
        {
            string[] sweep = ["sweep", "nmi-in-irq", "--strategy", "encoded-rbp", "--event", "nmi"];
            var processes = Enumerable.Range(0, 4)
                .Select(k => Start([.. sweep, "--shards", "4", "--out", Path.Combine(dir, $"shard{k}.json")], ("JOB_COMPLETION_INDEX", k.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                .ToList();
            processes.Add(Start([.. sweep, "--out", Path.Combine(dir, "whole.json")]));
            foreach (var p in processes)
            {
                Finish(p);
            }

            Finish(Start(["merge", .. Enumerable.Range(0, 4).Select(k => Path.Combine(dir, $"shard{k}.json")), "--out", Path.Combine(dir, "merged.json")]));

            Assert.That(File.ReadAllText(Path.Combine(dir, "merged.json")), Is.EqualTo(File.ReadAllText(Path.Combine(dir, "whole.json"))));
            Assert.That(SweepResult.FromJson(File.ReadAllText(Path.Combine(dir, "shard3.json"))).Shard, Is.EqualTo("3/4"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Start(string[] args, params (string Name, string Value)[] environment)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "EntryModel.Cli.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("SLURM_ARRAY_TASK_ID");
        info.Environment.Remove("JOB_COMPLETION_INDEX");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    private static void Finish(Process process)
    {
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, output + error);
        process.Dispose();
    }
}
