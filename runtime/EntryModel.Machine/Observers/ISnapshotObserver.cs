namespace EntryModel.Machine.Observers;

/// <summary>
/// An observer whose state belongs to the machine's, as ground truth's chains do: while it is attached,
/// <see cref="Execution.X86Machine.Snapshot"/> saves its state, and <see cref="Execution.X86Machine.Restore"/>
/// puts that state back and attaches it again, or detaches it when the snapshot was taken without it.
/// Plain observers (counters) stay attached across restores and keep counting.
/// </summary>
public interface ISnapshotObserver : IMachineObserver
{
    /// <summary>A copy of the state, which later changes must not alter.</summary>
    object SaveState();

    /// <summary>Puts back a state <see cref="SaveState"/> returned; the same state may be restored many times.</summary>
    void RestoreState(object state);
}
