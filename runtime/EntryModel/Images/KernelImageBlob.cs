using System.Text;

namespace EntryModel;

/// <summary>
/// Reads the compact binary form in which the generator embeds a <see cref="KernelImage"/>
/// (base64 text in the generated source). Layout, little-endian, integers as LEB128 varints:
/// magic "EMIB", version; string table; model, strategy, description, defines; chunks (section,
/// address, permissions, bytes); symbols; relocations; line map; IDT gates; syscall entry; named
/// constants (name, zigzag value); ORC tables (present flag; text start and end, rows: zigzag address
/// delta, 6 packed entry bytes); stack-validation findings (id, rule, address, message).
/// Addresses in the symbol, relocation and line tables are delta-coded (zigzag) from the previous entry.
/// String references are table indices; index 0 with a "+1" field means null.
/// </summary>
public static class KernelImageBlob
{
    /// <summary>The format version written by this release of the generator.</summary>
    public const int Version = 4;

    private static readonly byte[] Magic = "EMIB"u8.ToArray();

    /// <summary>Decodes an image from the base64 text the generator emitted.</summary>
    public static KernelImage Read(string base64) => Read(Convert.FromBase64String(base64));

    /// <summary>Decodes an image; a blob of another version or a damaged one throws <see cref="InvalidDataException"/>.</summary>
    public static KernelImage Read(ReadOnlySpan<byte> blob)
    {
        var r = new Reader(blob);
        if (blob.Length < 5 || !blob[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not an EntryModel image blob");
        }

        r.Skip(4);
        int version = r.Byte();
        if (version != Version)
        {
            throw new InvalidDataException($"image blob version {version}; this runtime reads version {Version}");
        }

        var strings = new string[r.Count()];
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i] = r.Utf8(r.Count());
        }

        string model = strings[r.Count()];
        string strategy = strings[r.Count()];
        string? description = r.OptionalString(strings);
        var defines = new string[r.Count()];
        for (int i = 0; i < defines.Length; i++)
        {
            defines[i] = strings[r.Count()];
        }

        var chunks = new ImageChunk[r.Count()];
        for (int i = 0; i < chunks.Length; i++)
        {
            string section = strings[r.Count()];
            ulong address = r.UInt64();
            var permissions = (SectionPermissions)r.Count();
            chunks[i] = new ImageChunk(section, address, r.Bytes(r.Count()), permissions);
        }

        var symbols = new Symbol[r.Count()];
        ulong at = 0;
        for (int i = 0; i < symbols.Length; i++)
        {
            string name = strings[r.Count()];
            at = unchecked(at + (ulong)r.Signed());
            symbols[i] = new Symbol(name, at, r.Unsigned(), (SymbolKind)r.Count(), strings[r.Count()]);
        }

        var relocations = new Relocation[r.Count()];
        at = 0;
        for (int i = 0; i < relocations.Length; i++)
        {
            at = unchecked(at + (ulong)r.Signed());
            var kind = (RelocationKind)r.Count();
            relocations[i] = new Relocation(at, kind, strings[r.Count()], r.Signed());
        }

        var lines = new LineMapEntry[r.Count()];
        at = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            at = unchecked(at + (ulong)r.Signed());
            int length = r.Count();
            string declaration = strings[r.Count()];
            int line = r.Count();
            string file = strings[r.Count()];
            int fileLine = r.Count();
            string text = strings[r.Count()];
            lines[i] = new LineMapEntry(at, length, declaration, line, file, fileLine, text, strings[r.Count()]);
        }

        var gates = new IdtGate[r.Count()];
        for (int i = 0; i < gates.Length; i++)
        {
            int vector = r.Count();
            string stub = strings[r.Count()];
            ulong address = r.UInt64();
            string? handler = r.OptionalString(strings);
            int flags = r.Count();
            gates[i] = new IdtGate(vector, stub, address, handler, (flags & 1) != 0, r.Count(), (flags & 2) != 0, r.Count());
        }

        string? syscall = r.OptionalString(strings);
        var constants = new Dictionary<string, long>(StringComparer.Ordinal);
        int constantCount = r.Count();
        for (int i = 0; i < constantCount; i++)
        {
            string name = strings[r.Count()];
            constants[name] = r.Signed();
        }

        OrcTable? orc = null;
        if (r.Count() != 0)
        {
            ulong textStart = r.UInt64();
            ulong textEnd = r.UInt64();
            var ips = new ulong[r.Count()];
            var entries = new OrcEntry[ips.Length];
            at = textStart;
            for (int i = 0; i < ips.Length; i++)
            {
                at = unchecked(at + (ulong)r.Signed());
                ips[i] = at;
                entries[i] = OrcEntry.Read(r.Bytes(OrcEntry.Size));
            }

            orc = new OrcTable(ips, entries, textStart, textEnd);
        }

        var findings = new ValidationFinding[r.Count()];
        for (int i = 0; i < findings.Length; i++)
        {
            string id = strings[r.Count()];
            string rule = strings[r.Count()];
            ulong address = r.UInt64();
            findings[i] = new ValidationFinding(id, rule, address, strings[r.Count()]);
        }

        if (!r.AtEnd)
        {
            throw new InvalidDataException("trailing bytes after the image");
        }

        return new KernelImage(model, strategy, description, defines, chunks, new SymbolTable(symbols), relocations, lines, gates, syscall, constants, orc, findings);
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> data;
        private int pos;

        public Reader(ReadOnlySpan<byte> data)
        {
            this.data = data;
            pos = 0;
        }

        public readonly bool AtEnd => pos == data.Length;

        public void Skip(int n) => pos += n;

        public byte Byte()
        {
            if (pos >= data.Length)
            {
                throw new InvalidDataException("image blob ends early");
            }

            return data[pos++];
        }

        public ulong Unsigned()
        {
            ulong value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("varint too long in image blob");
        }

        public long Signed()
        {
            ulong v = Unsigned();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        public int Count()
        {
            ulong v = Unsigned();
            return v <= int.MaxValue ? (int)v : throw new InvalidDataException("count out of range in image blob");
        }

        public ulong UInt64()
        {
            if (pos + 8 > data.Length)
            {
                throw new InvalidDataException("image blob ends early");
            }

            ulong v = BitConverter.ToUInt64(data.Slice(pos, 8));
            pos += 8;
            return v;
        }

        public byte[] Bytes(int n)
        {
            if (pos + n > data.Length)
            {
                throw new InvalidDataException("image blob ends early");
            }

            var b = data.Slice(pos, n).ToArray();
            pos += n;
            return b;
        }

        public string Utf8(int n)
        {
            if (pos + n > data.Length)
            {
                throw new InvalidDataException("image blob ends early");
            }

            string s = Encoding.UTF8.GetString(data.Slice(pos, n));
            pos += n;
            return s;
        }

        public string? OptionalString(string[] strings)
        {
            int i = Count();
            return i == 0 ? null : strings[i - 1];
        }
    }
}
