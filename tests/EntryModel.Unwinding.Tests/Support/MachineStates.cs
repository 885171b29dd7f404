using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Judging;
using EntryModel.Scenarios.Running;
using EntryModel.Unwinding.Image;
using EntryModel.Unwinding.Reliable;

namespace EntryModel.Unwinding.Tests.Support;

/// <summary>One stack the default model captured while running a scenario under a strategy, with what judging it needs.</summary>
internal sealed record MachineState(string Scenario, KernelImage Image, UnwindImage Unwind, ReliableWalker Walker, StackCapture Capture, ExpectedFrame[] Truth)
{
    public override string ToString() => $"{Scenario} under {Image.Strategy}: {Capture.Title}";
}

/// <summary>Every scenario of the default model run under every strategy's image, once per test run.</summary>
internal static class MachineStates
{
    private static readonly Lazy<IReadOnlyList<MachineState>> Captured = new(Capture);

    public static IReadOnlyList<MachineState> All => Captured.Value;

    private static List<MachineState> Capture()
    {
        var states = new List<MachineState>();
        foreach (var image in StrategyCatalog.Images)
        {
            var unwind = UnwindImage.For(image);
            var walker = new ReliableWalker(unwind);
            foreach (var scenario in ScenarioCatalog.All)
            {
                foreach (var capture in scenario.Run(image).Stacks)
                {
                    states.Add(new MachineState(scenario.Name, image, unwind, walker, capture, [.. capture.GroundTruth.Select(ExpectedFrame.Of)]));
                }
            }
        }

        return states;
    }
}
