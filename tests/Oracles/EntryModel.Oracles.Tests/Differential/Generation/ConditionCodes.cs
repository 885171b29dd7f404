namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>The 16 condition codes in encoding order (Iced's Code names use these spellings) and the flags each reads.</summary>
public static class ConditionCodes
{
    public static readonly IReadOnlyList<(string Name, RflagsBits Reads)> All =
    [
        ("o", RflagsBits.Overflow),
        ("no", RflagsBits.Overflow),
        ("b", RflagsBits.Carry),
        ("ae", RflagsBits.Carry),
        ("e", RflagsBits.Zero),
        ("ne", RflagsBits.Zero),
        ("be", RflagsBits.Carry | RflagsBits.Zero),
        ("a", RflagsBits.Carry | RflagsBits.Zero),
        ("s", RflagsBits.Sign),
        ("ns", RflagsBits.Sign),
        ("p", RflagsBits.Parity),
        ("np", RflagsBits.Parity),
        ("l", RflagsBits.Sign | RflagsBits.Overflow),
        ("ge", RflagsBits.Sign | RflagsBits.Overflow),
        ("le", RflagsBits.Zero | RflagsBits.Sign | RflagsBits.Overflow),
        ("g", RflagsBits.Zero | RflagsBits.Sign | RflagsBits.Overflow),
    ];
}
