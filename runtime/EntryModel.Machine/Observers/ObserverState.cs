namespace EntryModel.Machine.Observers;

/// <summary>One attached snapshot observer and the state it saved, kept in a machine snapshot.</summary>
internal readonly record struct ObserverState(ISnapshotObserver Observer, object State);
