namespace EntryModel.Scenarios.Reporting;

/// <summary>Which trace printer a report uses.</summary>
public enum PrinterKind
{
    /// <summary>The 2016 printer: a scan of the stack, chain addresses plain, the rest with <c>?</c>.</summary>
    Classic,

    /// <summary>The unwinder's frames only, with event boundaries named.</summary>
    Smart,
}
