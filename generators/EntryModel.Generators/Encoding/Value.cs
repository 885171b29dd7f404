namespace EntryModel.Generators.Encoding;

/// <summary>
/// The value of an expression. <see cref="Relocatable"/> means it depends on a label's address,
/// so GAS would leave a relocation and pick a full-size field; <see cref="Known"/> means the number
/// is final (always true after layout).
/// </summary>
internal readonly struct Value
{
    public Value(long number, bool known, bool relocatable, string? symbol)
    {
        Number = number;
        Known = known;
        Relocatable = relocatable;
        Symbol = symbol;
    }

    public long Number { get; }

    public bool Known { get; }

    public bool Relocatable { get; }

    /// <summary>The label a relocation would name.</summary>
    public string? Symbol { get; }

    public static Value Constant(long n) => new Value(n, true, false, null);

    public bool IsAbsoluteConstant => Known && !Relocatable;
}
