using System;
using EntryModel.Generators.Diagnostics;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// GNU as's relocation operators (<c>sym@GOTOFF</c>, <c>foo@PLT</c>, <c>x@TPOFF</c> ...) and the
/// GOT's own symbol, <c>_GLOBAL_OFFSET_TABLE_</c>: each asks for a PIC or TLS relocation EntryModel
/// does not write, so each is an error at its operand rather than a symbol literally named
/// <c>foo@PLT</c>. The one exception is a 64-bit direct call or jump to <c>foo@PLT</c>, which GNU
/// as assembles as it assembles a branch to <c>foo</c> (R_X86_64_PLT32, or nothing for a local target).
/// </summary>
internal static class RelocationOperators
{
    public const string GlobalOffsetTable = "_GLOBAL_OFFSET_TABLE_";

    // The x86 operators GNU as 2.40 knows (tc-i386.c's gotrel table).
    private static readonly string[] Known =
    {
        "SIZE", "PLTOFF", "PLT", "GOTPLT", "GOTOFF", "GOTPCREL", "GOTPCRELX", "TLSGD", "TLSLD", "TLSLDM", "GOTTPOFF", "TPOFF",
        "NTPOFF", "DTPOFF", "GOTNTPOFF", "INDNTPOFF", "GOT", "GOTPC", "TLSDESC", "TLSCALL", "GOTOFF64", "GOTPC32", "GOTPC64",
    };

    /// <summary>The symbol a 64-bit direct branch to <c>foo@PLT</c> names (<c>foo</c>), or null when <paramref name="s"/> is not that.</summary>
    public static SymbolExpression? PltBranchTarget(SymbolExpression s)
    {
        int at = s.Name.IndexOf('@');
        return at > 0 && string.Equals(s.Name.Substring(at + 1), "PLT", StringComparison.OrdinalIgnoreCase)
            ? new SymbolExpression(s.Name.Substring(0, at), s.Offset, s.Length)
            : null;
    }

    /// <summary>Whether <paramref name="name"/> (a symbol no declaration-local table defines) asks for a relocation EntryModel does not write.</summary>
    public static bool IsOperator(string name) => name.IndexOf('@') > 0 || name == GlobalOffsetTable;

    /// <summary>The first use of an operator in <paramref name="e"/>, or null.</summary>
    public static SymbolExpression? Find(Expression? e) => e switch
    {
        SymbolExpression s when IsOperator(ExpressionEvaluator.Display(s.Name)) => s,
        UnaryExpression u => Find(u.Operand),
        BinaryExpression b => Find(b.Left) ?? Find(b.Right),
        _ => null,
    };

    /// <summary>The error for a use of an operator: "not supported", or GNU as's "junk" for a suffix it does not know either.</summary>
    public static SyntaxException NotSupported(SymbolExpression s)
    {
        string name = ExpressionEvaluator.Display(s.Name);
        if (name == GlobalOffsetTable)
        {
            return new SyntaxException(DiagnosticIds.BadOperand, $"'{GlobalOffsetTable}' is not supported: GNU as makes a reference to it a GOTPC relocation, which EntryModel does not write", s.Offset, s.Length);
        }

        string suffix = name.Substring(name.IndexOf('@') + 1);
        return Array.IndexOf(Known, suffix.ToUpperInvariant()) >= 0
            ? new SyntaxException(DiagnosticIds.BadOperand, $"the relocation operator '@{suffix}' ('{name}') is not supported: EntryModel writes no PIC or TLS relocations", s.Offset, s.Length)
            : new SyntaxException(DiagnosticIds.SyntaxError, $"junk '@{suffix}' after expression", s.Offset, s.Length);
    }
}
