using System.Text.Json;
using System.Text.Json.Serialization;

namespace EntryModel.Analysis.Sweep;

/// <summary>
/// A sweep point in JSON, compact because a nested sweep has hundreds of thousands of them:
/// <c>{"b":boundary,"n":nested,"rip":rip,"f":"failure","c":"EIW","v":"100"}</c>, one letter per
/// unwinder's class (Exact, Incomplete, Wrong, R for wrong while reliable) and one digit per vouch.
/// </summary>
internal sealed class SweepPointJson : JsonConverter<SweepPoint>
{
    private const string ClassLetters = "EIWR";

    public override SweepPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        long boundary = 0;
        int nested = 0;
        ulong rip = 0;
        var failure = SweepFailure.None;
        string classes = string.Empty, vouched = string.Empty;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a sweep point is an object");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString() ?? string.Empty;
            reader.Read();
            switch (name)
            {
                case "b": boundary = reader.GetInt64(); break;
                case "n": nested = reader.GetInt32(); break;
                case "rip": rip = reader.GetUInt64(); break;
                case "f": failure = JsonSerializer.Deserialize<SweepFailure>(ref reader, options); break;
                case "c": classes = reader.GetString() ?? string.Empty; break;
                case "v": vouched = reader.GetString() ?? string.Empty; break;
                default: throw new JsonException($"unknown sweep point field '{name}'");
            }
        }

        if (classes.Any(c => !ClassLetters.Contains(c, StringComparison.Ordinal)) || vouched.Length != classes.Length || vouched.Any(c => c is not ('0' or '1')))
        {
            throw new JsonException($"sweep point {boundary}/{nested}: classes '{classes}' and vouches '{vouched}' do not match");
        }

        return new SweepPoint(boundary, nested, rip, failure, [.. classes.Select(c => (SweepClass)ClassLetters.IndexOf(c, StringComparison.Ordinal))], [.. vouched.Select(c => c == '1')]);
    }

    public override void Write(Utf8JsonWriter writer, SweepPoint value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteNumber("b", value.Boundary);
        writer.WriteNumber("n", value.Nested);
        writer.WriteNumber("rip", value.Rip);
        writer.WritePropertyName("f");
        JsonSerializer.Serialize(writer, value.Failure, options);
        writer.WriteString("c", new string([.. value.Classes.Select(c => ClassLetters[(int)c])]));
        writer.WriteString("v", new string([.. value.Vouched.Select(v => v ? '1' : '0')]));
        writer.WriteEndObject();
    }
}
