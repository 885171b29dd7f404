using System.CommandLine;
using EntryModel.Scenarios.Catalog;
using EntryModel.Scenarios.Inspection;

namespace EntryModel.Cli.Commands;

/// <summary><c>disasm &lt;symbol&gt; [--strategy &lt;name&gt;]</c>: AT&amp;T disassembly with symbolized targets.</summary>
internal static class DisasmCommand
{
    public static Command Create()
    {
        var symbol = new Argument<string>("symbol") { Description = "A symbol of the image, e.g. async_page_fault (see 'list symbols')." };
        var strategy = StrategyOption.Create(defaultValue: "none");
        var command = new Command("disasm", "Disassemble a symbol of a strategy's image in AT&T syntax, with branch and call targets by name.") { symbol, strategy };
        command.SetAction(parse => Invoke(parse, parse.GetRequiredValue(symbol), parse.GetValue(strategy)!));
        return command;
    }

    private static int Invoke(ParseResult parse, string symbolName, string strategyName)
    {
        if (!StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            return EntryModelCli.UsageExitCode;
        }

        if (!image.Symbols.TryGet(symbolName, out var symbol))
        {
            parse.InvocationConfiguration.Error.WriteLine(UnknownName.Message("symbol", symbolName, image.Symbols.All.Select(s => s.Name).Order(StringComparer.Ordinal)));
            return EntryModelCli.UsageExitCode;
        }

        var output = parse.InvocationConfiguration.Output;
        output.WriteLine($"{symbol.Address:x16} <{symbol.Name}> size 0x{symbol.Size:x} ({image.Strategy}):");
        foreach (var line in SymbolDisassembler.Disassemble(image, symbol))
        {
            output.WriteLine(line);
        }

        return 0;
    }
}
