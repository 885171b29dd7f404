namespace EntryModel.Scenarios.Judging;

/// <summary>How an unwinder's walk compares with the frames that were really live.</summary>
public enum TraceVerdict
{
    /// <summary>Every live frame, in order, and nothing else; the walk ended cleanly.</summary>
    Exact,

    /// <summary>The live frames it gives are right, but it stops before the last.</summary>
    Incomplete,

    /// <summary>A frame is missing, extra or wrong.</summary>
    Wrong,
}

/// <summary>How reliable mode's answer compares with the truth.</summary>
public enum ReliableVerdict
{
    /// <summary>It vouched, and the trace is exact.</summary>
    Vouched,

    /// <summary>It refused (which is always safe).</summary>
    Refused,

    /// <summary>It vouched for a trace that is not exact: the one outcome reliable mode must never have.</summary>
    WrongWhileReliable,
}
