using System.Globalization;
using System.Text;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// Random programs that exercise GNU as's layout decisions: short and near branches (forward and
/// backward, over padding whose size puts displacements around the 8-bit edge), alignment between
/// them, data that measures distances between labels, and <c>.set</c> symbols reassigned after data
/// used them. Seeded, so a failing program is reproduced by its index.
/// </summary>
internal static class LayoutCorpus
{
    private static readonly string[] Branches = ["jmp", "jne", "je", "jb", "jae", "js", "jle", "jg"];

    public static string Program(int seed)
    {
        var random = new Random(seed);
        // Odd seeds: long programs of many branches over small gaps, where branches that grow move
        // the targets of the branches around them (the chains relaxation must get right).
        bool dense = seed % 2 == 1;
        int labels = dense ? random.Next(10, 40) : random.Next(3, 12);
        var sb = new StringBuilder();
        sb.AppendLine("start:");
        int placed = 0;
        int items = dense ? random.Next(60, 200) : random.Next(6, 40);
        bool setDefined = false;
        for (int i = 0; i < items; i++)
        {
            // Labels spread through the program; every label is placed by the end.
            if (placed < labels && random.Next(3) == 0)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"L{placed}:");
                placed++;
            }

            switch (random.Next(10))
            {
                case 0:
                case 1:
                case 2:
                case 3:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"\t{Branches[random.Next(Branches.Length)]} L{random.Next(labels)}");
                    break;
                case 4:
                case 5:
                    // Padding sized so that branches over one or two of them sit near the 8-bit limit.
                    int n = dense ? random.Next(0, 40) : random.Next(4) switch
                    {
                        0 => random.Next(0, 8),
                        1 => random.Next(100, 131),
                        2 => random.Next(55, 70),
                        _ => random.Next(0, 260),
                    };
                    sb.AppendLine(CultureInfo.InvariantCulture, $"\t.skip {n}, 0x90");
                    break;
                case 6:
                    sb.AppendLine(CultureInfo.InvariantCulture, $"\t.p2align {random.Next(1, 5)}");
                    break;
                case 7:
                    int a = random.Next(labels), b = random.Next(labels);
                    sb.AppendLine(CultureInfo.InvariantCulture, $"\t.{(random.Next(2) == 0 ? "long" : "quad")} L{a} - L{b}");
                    break;
                case 8:
                    // A .set symbol used by data, then reassigned: data keeps the value it had there.
                    sb.AppendLine(setDefined
                        ? string.Create(CultureInfo.InvariantCulture, $"\t.set V, V + {random.Next(1, 9)}")
                        : string.Create(CultureInfo.InvariantCulture, $"\t.set V, {random.Next(0, 9)}"));
                    setDefined = true;
                    sb.AppendLine("\t.byte V");
                    break;
                default:
                    sb.AppendLine(random.Next(3) switch { 0 => "\tnop", 1 => "\tmovq %rsp, %rbp", _ => "\tcall start" });
                    break;
            }
        }

        for (; placed < labels; placed++)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"L{placed}:");
            sb.AppendLine(random.Next(2) == 0 ? "\tret" : "\t.skip 1, 0xcc");
        }

        sb.AppendLine("\tret");
        return sb.ToString();
    }
}
