namespace EntryModel;

/// <summary>
/// One stack-validation finding the generator made when it built an image, kept in the image: the
/// diagnostic id, the rule (objtool's, e.g. <c>CallWithoutFrame</c>), the offending instruction's
/// address, and objtool's text for it.
/// </summary>
public sealed record ValidationFinding(string Id, string Rule, ulong Address, string Message)
{
    public override string ToString() => $"{Id} {Rule} at 0x{Address:x}: {Message}";
}
