using System.CommandLine;
using EntryModel.Scenarios.Catalog;

namespace EntryModel.Cli.Commands;

/// <summary>The <c>--strategy</c> option every command shares, and its lookup with the clear error for unknown names.</summary>
internal static class StrategyOption
{
    public static Option<string?> Create(string? defaultValue) => new("--strategy", "-s")
    {
        Description = $"Frame strategy: {string.Join(", ", StrategyCatalog.Names)}." + (defaultValue is null ? " Default: every strategy." : $" Default: {defaultValue}."),
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>The image of <paramref name="name"/>; on an unknown name writes the error listing the valid ones.</summary>
    public static bool TryResolve(ParseResult parse, string name, out KernelImage image)
    {
        if (StrategyCatalog.TryGet(name, out image))
        {
            return true;
        }

        parse.InvocationConfiguration.Error.WriteLine(UnknownName.Message("strategy", name, StrategyCatalog.Names));
        return false;
    }
}
