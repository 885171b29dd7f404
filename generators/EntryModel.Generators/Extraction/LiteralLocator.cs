using System.Collections.Immutable;
using EntryModel.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EntryModel.Generators.Extraction;

/// <summary>
/// Works out where a const string's value lives in its file: character by character for a single
/// literal, the whole initializer for anything else (concatenations, references to other consts).
/// </summary>
internal static class LiteralLocator
{
    public static TextLocation Locate(ExpressionSyntax initializer, string value, SourceText text, string filePath)
    {
        var expression = initializer;
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is LiteralExpressionSyntax literal && IsStringToken(literal.Token))
        {
            var token = literal.Token;
            int[]? map = LiteralValueMap.TryBuild(token.Text, token.SpanStart, value);
            if (map is not null)
            {
                return Build(filePath, token.Span, text, value, map);
            }
        }

        return Build(filePath, initializer.Span, text, value, null);
    }

    private static bool IsStringToken(SyntaxToken token) =>
        token.IsKind(SyntaxKind.StringLiteralToken)
        || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken)
        || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken);

    private static TextLocation Build(string filePath, TextSpan span, SourceText text, string value, int[]? map)
    {
        int firstLine = text.Lines.GetLineFromPosition(span.Start).LineNumber;
        int lastLine = text.Lines.GetLineFromPosition(span.End).LineNumber;
        var lineStarts = ImmutableArray.CreateBuilder<int>(lastLine - firstLine + 1);
        for (int line = firstLine; line <= lastLine; line++)
        {
            lineStarts.Add(text.Lines[line].Start);
        }

        // One file line per value line: where the value line's first character came from, or the
        // initializer's first line when the value could not be mapped.
        var fileLines = ImmutableArray.CreateBuilder<int>();
        int valueLineStart = 0;
        while (true)
        {
            int fileOffset = map is null ? span.Start : map[valueLineStart];
            fileLines.Add(text.Lines.GetLineFromPosition(fileOffset).LineNumber + 1);
            int next = value.IndexOf('\n', valueLineStart);
            if (next < 0)
            {
                break;
            }

            valueLineStart = next + 1;
        }

        return new TextLocation(
            filePath,
            span.Start,
            span.Length,
            map is null ? EquatableArray<int>.Empty : new EquatableArray<int>(ImmutableArray.Create(map)),
            new EquatableArray<int>(fileLines.ToImmutable()))
        {
            FirstLineIndex = firstLine,
            LineStarts = new EquatableArray<int>(lineStarts.MoveToImmutable()),
        };
    }
}
