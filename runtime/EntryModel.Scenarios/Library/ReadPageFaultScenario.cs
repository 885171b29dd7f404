using System.Text;
using EntryModel.Machine.Execution;
using EntryModel.Scenarios.Running;

namespace EntryModel.Scenarios.Library;

/// <summary>
/// The seed's event: the user program read()s 16 bytes into a page nobody has mapped; the copy in
/// copy_page_to_iter page-faults, the fault handler maps the page and calls dump_stack() (one
/// DUMP_STACK trace), the copy completes, the syscall returns to user mode, and the program checks
/// the bytes and exits with 0 when they are right.
/// </summary>
public sealed class ReadPageFaultScenario : IScenario
{
    /// <summary>The user buffer of the default model's program (its USER_BUFFER), on a page that starts unmapped.</summary>
    public const ulong UserBufferAddress = 0x601000;

    /// <summary>What the model's file holds and the program expects to read.</summary>
    public const string ExpectedText = "EntryModel read!";

    public string Name => "read-page-fault";

    public string Description => "A user read() whose copy to the buffer page-faults; the fault handler maps the page and dumps the stack (the seed's traces).";

    public ScenarioSession Prepare(KernelImage image)
    {
        var session = ScenarioSession.Boot(image);
        session.Kernel.EnterUser(session.Kernel.Symbol("_start"));
        return session;
    }

    public ScenarioResult Conclude(ScenarioSession session, StopReason finish)
    {
        var stop = finish;
        ArgumentNullException.ThrowIfNull(session);
        var image = session.Image;
        ulong? exitCode = stop.Kind == StopKind.PowerOff ? stop.Code : null;
        byte[] buffer = new byte[ExpectedText.Length];
        bool mapped = session.Machine.Memory.TryRead(UserBufferAddress, buffer);
        string read = mapped ? Encoding.ASCII.GetString(buffer) : string.Empty;
        bool expected = exitCode == 0 && read == ExpectedText && session.Stacks.Count == 1;
        string outcome = mapped
            ? $"the program read \"{Printable(read)}\" and {(exitCode is { } code ? $"exited with {code}" : $"did not finish ({stop})")}; {session.Stacks.Count} stack dump(s)"
            : $"the buffer page was never mapped; {stop}";
        return new ScenarioResult(Name, image.Strategy, stop, exitCode, outcome, expected, session.Stacks, session.TaskGroundTruth(), session.Logged, session);
    }

    private static string Printable(string text) => new([.. text.Select(c => c is >= ' ' and <= '~' ? c : '.')]);
}
