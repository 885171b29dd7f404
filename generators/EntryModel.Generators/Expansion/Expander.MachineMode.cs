using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Public;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Expansion;

/// <summary>
/// The machine a declaration is assembled for (as <c>--64</c> or <c>--32</c>): its code and address
/// sizes, and <c>.code32</c>/<c>.code64</c>, which may only name the size it already has.
/// </summary>
internal sealed partial class Expander
{
    /// <summary>The address size: 4 under as --32, else 8; also the CFA offset at a function's entry (the return address just pushed).</summary>
    public int AddressSize => Machine == ObjectFileMachine.I386 ? 4 : 8;

    /// <summary>The code size: 32 under as --32, else 64.</summary>
    public int Bitness => Machine == ObjectFileMachine.I386 ? 32 : 64;

    /// <summary><c>.code32</c>/<c>.code64</c>: accepted when they name the declaration's own code size; switching it inside a declaration is not supported.</summary>
    private void CodeSize(string word, int wordStart)
    {
        bool is32 = word == ".code32";
        if (is32 != (Machine == ObjectFileMachine.I386))
        {
            string own = Machine == ObjectFileMachine.I386 ? "32-bit (as --32)" : "64-bit (as --64)";
            throw new SyntaxException(DiagnosticIds.UnknownDirective, $"'{word}' in {own} text: EntryModel does not switch the code size inside a declaration", wordStart, word.Length);
        }
    }
}
