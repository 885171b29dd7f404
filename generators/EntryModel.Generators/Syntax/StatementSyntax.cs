using System;
using System.Collections.Generic;
using System.Threading;

namespace EntryModel.Generators.Syntax;

/// <summary>
/// One statement's text, parsed once: its first word (<see cref="Head"/>), its labels and what
/// follows them (<see cref="Body"/>), and, as the expander first asks for them, its expressions,
/// directive arguments, macro arguments and instruction operands. Each part is parsed at most once
/// and kept, with the problem it found, so every run of the statement (each <c>.rept</c> iteration,
/// each macro call that leaves the line unchanged) reuses it. Immutable once built, so statements
/// shared by several objects can share it.
/// </summary>
internal sealed class StatementSyntax
{
    private readonly object gate = new object();
    private StatementBody? body;
    private string? rest;
    private ParseOutcome<Expression>? condition;
    private bool conditionRead;
    private InstructionSyntax? instruction;
    private NamedValueSyntax? namedValue;
    private bool namedValueRead;
    private Dictionary<long, ParseOutcome<Expression>>? expressions;
    private Dictionary<int, ParseOutcome<IReadOnlyList<(int Start, int End)>>>? arguments;
    private Dictionary<int, IReadOnlyList<(string Text, int Offset)>>? macroArguments;
    private Dictionary<int, ParseOutcome<byte[]>>? strings;

    public StatementSyntax(string text)
    {
        Text = text;
        Head = new StatementHead(text);
    }

    public string Text { get; }

    public StatementHead Head { get; }

    public StatementBody Body => Volatile.Read(ref body) ?? Publish(ref body, StatementBody.Parse(Text));

    /// <summary>What follows the first word, trimmed (a <c>.ifdef</c>'s name, an <c>.ifc</c>'s strings).</summary>
    public string Rest => Volatile.Read(ref rest) ?? Publish(ref rest, Text.Substring(Head.End).Trim());

    /// <summary>
    /// A conditional's expression, parsed from the end of its first word (offsets count from there),
    /// or null when it says <c>defined</c>: that is rewritten with what is defined when it runs.
    /// </summary>
    public ParseOutcome<Expression>? Condition
    {
        get
        {
            lock (gate)
            {
                if (!conditionRead)
                {
                    condition = Text.IndexOf("defined", Head.End, StringComparison.Ordinal) >= 0 ? null : ParseOutcome<Expression>.Of(() =>
                    {
                        string expression = Text.Substring(Head.End);
                        return ExpressionParser.ParseAll(expression, 0, expression.Length);
                    });
                    conditionRead = true;
                }

                return condition;
            }
        }
    }

    /// <summary>The expression in <c>Text[start..end)</c>; throws what parsing it found.</summary>
    public Expression Expression(int start, int end)
    {
        long key = ((long)start << 32) | (uint)end;
        lock (gate)
        {
            expressions ??= new Dictionary<long, ParseOutcome<Expression>>();
            if (!expressions.TryGetValue(key, out var parsed))
            {
                parsed = ParseOutcome<Expression>.Of(() => ExpressionParser.ParseAll(Text, start, end));
                expressions[key] = parsed;
            }

            return parsed.Value;
        }
    }

    /// <summary>A directive's comma-separated argument spans from <paramref name="start"/>; throws when there are none.</summary>
    public IReadOnlyList<(int Start, int End)> Arguments(int start)
    {
        lock (gate)
        {
            arguments ??= new Dictionary<int, ParseOutcome<IReadOnlyList<(int Start, int End)>>>();
            if (!arguments.TryGetValue(start, out var parsed))
            {
                parsed = ParseOutcome<IReadOnlyList<(int Start, int End)>>.Of(() => DirectiveArguments.Split(Text, start));
                arguments[start] = parsed;
            }

            return parsed.Value;
        }
    }

    /// <summary>
    /// The bytes of a string directive's arguments from <paramref name="start"/>; throws what reading
    /// them found. Shared by every run of the statement: nothing writes into them.
    /// </summary>
    public byte[] Strings(int start, bool zeroTerminated)
    {
        var spans = Arguments(start);
        int key = (start << 1) | (zeroTerminated ? 1 : 0);
        lock (gate)
        {
            strings ??= new Dictionary<int, ParseOutcome<byte[]>>();
            if (!strings.TryGetValue(key, out var decoded))
            {
                decoded = ParseOutcome<byte[]>.Of(() => StringLiterals.Decode(Text, spans, zeroTerminated));
                strings[key] = decoded;
            }

            return decoded.Value;
        }
    }

    /// <summary>Macro call (or <c>.macro</c> header, <c>.irp</c> list) arguments from <paramref name="start"/>.</summary>
    public IReadOnlyList<(string Text, int Offset)> MacroArguments(int start)
    {
        lock (gate)
        {
            macroArguments ??= new Dictionary<int, IReadOnlyList<(string Text, int Offset)>>();
            if (!macroArguments.TryGetValue(start, out var split))
            {
                split = MacroCallArguments.Split(Text, start);
                macroArguments[start] = split;
            }

            return split;
        }
    }

    /// <summary>A <c>name, value</c> directive's arguments, read from the end of its word; null when there is no comma.</summary>
    public NamedValueSyntax? NamedValue
    {
        get
        {
            lock (gate)
            {
                if (!namedValueRead)
                {
                    namedValue = NamedValueSyntax.Parse(Text, Body.WordEnd);
                    namedValueRead = true;
                }

                return namedValue;
            }
        }
    }

    /// <summary>The statement as an instruction, read from its word after the labels.</summary>
    public InstructionSyntax Instruction => Volatile.Read(ref instruction) ?? Publish(ref instruction, InstructionSyntax.Parse(Text, Body.WordStart));

    private static T Publish<T>(ref T? field, T value)
        where T : class => Interlocked.CompareExchange(ref field, value, null) ?? value;
}
