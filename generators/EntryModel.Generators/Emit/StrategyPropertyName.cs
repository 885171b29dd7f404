using System.Text;

namespace EntryModel.Generators.Emit;

/// <summary>
/// The C# property a strategy's image is exposed as: the name's words (split at anything that is
/// not a letter or digit) in PascalCase, e.g. <c>pt-regs-frame</c> -> <c>PtRegsFrame</c>.
/// </summary>
internal static class StrategyPropertyName
{
    /// <summary>The property name, or null when the strategy name has no letter or digit to build one from.</summary>
    public static string? Of(string strategy)
    {
        var builder = new StringBuilder(strategy.Length);
        bool startOfWord = true;
        foreach (char c in strategy)
        {
            if (!char.IsLetterOrDigit(c) || c > 0x7f)
            {
                startOfWord = true;
                continue;
            }

            builder.Append(startOfWord ? char.ToUpperInvariant(c) : c);
            startOfWord = false;
        }

        if (builder.Length == 0)
        {
            return null;
        }

        // An identifier cannot start with a digit ("2level" -> "Strategy2level").
        return char.IsDigit(builder[0]) ? "Strategy" + builder : builder.ToString();
    }
}
