namespace EntryModel.Generators.Encoding;

/// <summary>
/// The value of an expression. <see cref="Relocatable"/> means it depends on a label's address (or a
/// symbol of another declaration), so GAS would leave a relocation and pick a full-size field;
/// <see cref="Known"/> means the number is usable (before layout labels are unknown). After layout a
/// relocatable value is provisional: <see cref="Linear"/> says it has the form symbol + addend, which
/// the linker can finish; anything else that moves with placement cannot be linked.
/// </summary>
internal readonly struct Value
{
    public Value(long number, bool known, bool relocatable, string? symbol, bool linear = true)
    {
        Number = number;
        Known = known;
        Relocatable = relocatable;
        Symbol = symbol;
        Linear = linear;
    }

    public long Number { get; }

    public bool Known { get; }

    public bool Relocatable { get; }

    /// <summary>The symbol a relocation would name.</summary>
    public string? Symbol { get; }

    public bool Linear { get; }

    public static Value Constant(long n) => new Value(n, true, false, null);

    public bool IsAbsoluteConstant => Known && !Relocatable;
}
