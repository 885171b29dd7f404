namespace EntryModel.Generators.Syntax;

/// <summary>
/// A label at the start of a statement: <c>name:</c>, or a numbered local label <c>1:</c> (also
/// written <c>1 :</c>) whose <see cref="Number"/> is set. <see cref="Offset"/> is where its name starts.
/// </summary>
internal sealed class LabelSyntax
{
    public LabelSyntax(string name, int offset, int? number)
    {
        Name = name;
        Offset = offset;
        Number = number;
    }

    public string Name { get; }

    public int Offset { get; }

    public int? Number { get; }
}
