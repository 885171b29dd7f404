namespace EntryModel.Scenarios.Catalog;

/// <summary>The message for a name that is not among the valid ones, listing them.</summary>
public static class UnknownName
{
    public static string Message(string what, string name, IEnumerable<string> valid) =>
        $"unknown {what} '{name}'; valid {what}s: {string.Join(", ", valid)}";
}
