using Iced.Intel;

namespace EntryModel.Oracles.Tests.Differential.Generation;

/// <summary>Which status flags the SDM leaves undefined at a point in a sequence, and which instruction left each so.</summary>
public sealed record FlagStatus(RflagsBits Undefined, IReadOnlyDictionary<RflagsBits, Mnemonic> UndefinedBy)
{
    public static readonly FlagStatus AllDefined = new(RflagsBits.None, new Dictionary<RflagsBits, Mnemonic>());
}
