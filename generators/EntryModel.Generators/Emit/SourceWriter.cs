using System.Text;

namespace EntryModel.Generators.Emit;

/// <summary>Writes indented C# lines.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new();
    private int depth;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            builder.Append(' ', depth * 4);
            builder.Append(text);
        }

        builder.Append('\n');
        return this;
    }

    public SourceWriter Open()
    {
        Line("{");
        depth++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        depth--;
        Line("}" + suffix);
        return this;
    }

    public override string ToString() => builder.ToString();
}
