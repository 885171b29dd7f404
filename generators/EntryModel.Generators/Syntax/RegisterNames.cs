using System;
using System.Collections.Generic;
using Iced.Intel;

namespace EntryModel.Generators.Syntax;

/// <summary>GAS register names (without the %) mapped to Iced registers.</summary>
internal static class RegisterNames
{
    private static readonly Dictionary<string, Register> Names = Build();

    public static bool TryGet(string name, out Register register) => Names.TryGetValue(name, out register);

    private static Dictionary<string, Register> Build()
    {
        var d = new Dictionary<string, Register>(StringComparer.OrdinalIgnoreCase);
        foreach (Register r in Enum.GetValues(typeof(Register)))
        {
            if (r == Register.None)
            {
                continue;
            }

            string n = r.ToString().ToLowerInvariant();
            if (n.StartsWith("dontuse", StringComparison.Ordinal))
            {
                continue;
            }

            d[n] = r;
        }

        // GAS spells the low byte of r8..r15 with a 'b'.
        for (int i = 8; i <= 15; i++)
        {
            d["r" + i + "b"] = (Register)((int)Register.R8L + i - 8);
        }

        d["st"] = Register.ST0;
        return d;
    }
}
