namespace EntryModel.Analysis.Sweep;

/// <summary>What one unwinder made of one sample, normal and reliable mode taken together.</summary>
public enum SweepClass
{
    /// <summary>The walk gives every live frame in order, and nothing else.</summary>
    Exact,

    /// <summary>The frames it gives are right but it stops early, and reliable mode refused: safe.</summary>
    Incomplete,

    /// <summary>A frame is missing, extra or wrong, and reliable mode refused: a bad trace, but not claimed good.</summary>
    Wrong,

    /// <summary>Reliable mode vouched for a trace that is not exact: what livepatch must never see.</summary>
    WrongWhileReliable,
}

/// <summary>Why a point gave no sample or broke the scenario: the event was not transparent.</summary>
public enum SweepFailure
{
    None,

    /// <summary>The event was never taken, or its handler never dumped (an NMI already latched, a timer masked to the end).</summary>
    NoSample,

    TripleFault,

    /// <summary>An exception the guest does not handle, or a fault loop.</summary>
    UnhandledException,

    /// <summary>The run did not end within twice the reference run's instructions.</summary>
    BudgetExhausted,

    /// <summary>The scenario ended, but not with its expected outcome.</summary>
    WrongResult,
}
