using EntryModel.Machine.Observers;

namespace EntryModel.Machine.Execution;

/// <summary>Attaching observers, and carrying the snapshot observers' state through snapshots.</summary>
public sealed partial class X86Machine
{
    private readonly List<IMachineObserver> attachedObservers = [];

    // The one field the reporting sites test: null with none attached (one null check, nothing else),
    // the observer itself with one, a fan-out with several.
    private IMachineObserver? observers;

    // The attached observers whose state snapshots carry.
    private ISnapshotObserver[] snapshotObservers = [];

    /// <summary>The attached observers, in attach order.</summary>
    public IReadOnlyList<IMachineObserver> Observers => attachedObservers;

    /// <summary>Reports the machine's control transfers to <paramref name="observer"/> from the next instruction on; attaching it again does nothing.</summary>
    public void Attach(IMachineObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (IndexOfObserver(observer) < 0)
        {
            attachedObservers.Add(observer);
            Rewire();
        }
    }

    /// <summary>Stops reporting to <paramref name="observer"/>; false when it was not attached.</summary>
    public bool Detach(IMachineObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        int i = IndexOfObserver(observer);
        if (i < 0)
        {
            return false;
        }

        attachedObservers.RemoveAt(i);
        Rewire();
        return true;
    }

    /// <summary>Whether <paramref name="observer"/> is attached.</summary>
    public bool IsAttached(IMachineObserver observer) => IndexOfObserver(observer) >= 0;

    private ObserverState[] SaveObservers()
    {
        if (snapshotObservers.Length == 0)
        {
            return [];
        }

        var saved = new ObserverState[snapshotObservers.Length];
        for (int i = 0; i < saved.Length; i++)
        {
            saved[i] = new ObserverState(snapshotObservers[i], snapshotObservers[i].SaveState());
        }

        return saved;
    }

    /// <summary>Snapshot observers go back to the state saved, attached exactly when they were attached at the snapshot.</summary>
    private void RestoreObservers(ObserverState[] saved)
    {
        var before = snapshotObservers; // Detach replaces the array
        foreach (var o in before)
        {
            if (!Holds(saved, o))
            {
                Detach(o); // attached after the snapshot: not part of that machine
            }
        }

        foreach (var s in saved)
        {
            s.Observer.RestoreState(s.State);
            Attach(s.Observer);
        }
    }

    private static bool Holds(ObserverState[] saved, ISnapshotObserver observer)
    {
        foreach (var s in saved)
        {
            if (ReferenceEquals(s.Observer, observer))
            {
                return true;
            }
        }

        return false;
    }

    // By reference: an observer that is a record must not stand in for an equal one.
    private int IndexOfObserver(IMachineObserver observer)
    {
        for (int i = 0; i < attachedObservers.Count; i++)
        {
            if (ReferenceEquals(attachedObservers[i], observer))
            {
                return i;
            }
        }

        return -1;
    }

    private void Rewire()
    {
        observers = attachedObservers.Count switch
        {
            0 => null,
            1 => attachedObservers[0],
            _ => new ObserverFanOut([.. attachedObservers]),
        };
        snapshotObservers = [.. attachedObservers.OfType<ISnapshotObserver>()];
    }
}
