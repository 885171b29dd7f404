using Iced.Intel;

namespace EntryModel.Scenarios.Inspection;

/// <summary>Names branch and call targets, displacements and immediates that fall inside an image symbol (<c>name+0xoff</c>).</summary>
public sealed class ImageSymbolResolver : ISymbolResolver
{
    private readonly SymbolTable symbols;

    public ImageSymbolResolver(SymbolTable symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        this.symbols = symbols;
    }

    public bool TryGetSymbol(in Instruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
    {
        if (symbols.TryLookup(address, out var found, out _))
        {
            symbol = new SymbolResult(found.Address, found.Name);
            return true;
        }

        symbol = default;
        return false;
    }
}
