using EntryModel.Scenarios.Judging;

namespace EntryModel.Scenarios.Tests.Judging;

/// <summary>The three verdicts of a walk against the truth.</summary>
public class TraceVerdictTests
{
    private static readonly ExpectedFrame A = new(0xffffffff81000010, false, false);
    private static readonly ExpectedFrame B = new(0xffffffff81000020, true, false);
    private static readonly ExpectedFrame C = new(0x400010, true, true);

    [Test]
    public void Same_frames_and_a_clean_end_are_exact() =>
        Assert.That(StackJudge.Classify([A, B, C], [A, B, C], UnwindError.None), Is.EqualTo(TraceVerdict.Exact));

    [Test]
    public void Same_frames_ended_by_an_error_are_incomplete() =>
        Assert.That(StackJudge.Classify([A, B, C], [A, B, C], UnwindError.OutOfBounds), Is.EqualTo(TraceVerdict.Incomplete));

    [Test]
    public void A_right_prefix_is_incomplete() =>
        Assert.That(StackJudge.Classify([A, B], [A, B, C], UnwindError.EndOfStack), Is.EqualTo(TraceVerdict.Incomplete));

    [Test]
    public void A_skipped_frame_is_wrong() =>
        Assert.That(StackJudge.Classify([A, C], [A, B, C], UnwindError.None), Is.EqualTo(TraceVerdict.Wrong));

    [Test]
    public void An_extra_frame_is_wrong() =>
        Assert.That(StackJudge.Classify([A, B, C, A], [A, B, C], UnwindError.None), Is.EqualTo(TraceVerdict.Wrong));

    [Test]
    public void A_boundary_taken_for_a_return_address_is_wrong() =>
        Assert.That(StackJudge.Classify([A, B with { Boundary = false }, C], [A, B, C], UnwindError.None), Is.EqualTo(TraceVerdict.Wrong));
}
