using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Npgsql;

namespace PaduHub.Ingestion;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html) into a
/// buffer of our own and sends it through Npgsql's raw COPY stream. Npgsql's row importer binds a parameter and runs
/// an async state machine for every value; a million-row extract has forty million values, and on two cores that
/// client work, not PostgreSQL, was what a first load waited for (decision 7). Each method here writes one value of
/// the column's type; the caller writes
/// them in the COPY statement's column order.
/// </summary>
sealed class BinaryCopy : IAsyncDisposable
{
    // The signature "PGCOPY\n\xff\r\n\0", then no flags and no header extension.
    static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0];
    const int FlushAt = 1 << 15;
    const int TextOid = 25;
    static readonly int s_postgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    // Null while rows are only being buffered for a COPY that starts later (SendAsync).
    NpgsqlRawCopyStream? _stream;
    // Pooled: a load opens dozens of COPYs one after another, and a fresh buffer each time would be garbage on the
    // large object heap, each one bringing a full collection nearer.
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushAt + (1 << 16));
    int _length;
    bool _completed;

    BinaryCopy(NpgsqlRawCopyStream? stream)
    {
        _stream = stream;
        Header.CopyTo(_buffer);
        _length = Header.Length;
    }

    /// <summary>Starts <c>COPY ... FROM STDIN (FORMAT BINARY)</c> and writes the format's header.</summary>
    public static async Task<BinaryCopy> BeginAsync(NpgsqlConnection connection, string copyCommand, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken));

    /// <summary>
    /// Rows encoded now and sent later by <see cref="SendAsync"/>, for a table whose COPY cannot run yet (a connection
    /// runs one COPY at a time). Holding the encoded bytes instead of the objects they came from keeps those objects
    /// short-lived: held for a while, a million of them would be promoted and collected as old garbage.
    /// </summary>
    public static BinaryCopy Buffered() => new(null);

    public int Rows { get; private set; }

    /// <summary>Bytes buffered and not yet sent.</summary>
    public int Length => _length;

    /// <summary>Sends the buffered rows as one COPY and empties the buffer for the next ones.</summary>
    public async Task SendAsync(NpgsqlConnection connection, string copyCommand, CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("this COPY is already streaming");
        }
        _stream = await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken);
        try
        {
            Ensure(2);
            BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
            _length += 2;
            await FlushAsync(cancellationToken);
            await _stream.DisposeAsync();
        }
        catch
        {
            await _stream.CancelAsync();
            await _stream.DisposeAsync();
            throw;
        }
        finally
        {
            _stream = null;
        }
        Header.CopyTo(_buffer);
        _length = Header.Length;
        Rows = 0;
    }

    public void StartRow(short columns)
    {
        Rows++;
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), columns);
        _length += 2;
    }

    public void Null() => Int32Raw(-1);

    public void Int64(long value)
    {
        Ensure(12);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), 8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length + 4), value);
        _length += 12;
    }

    public void Int32(int value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), 4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length + 4), value);
        _length += 8;
    }

    /// <summary>text, varchar and char(n): the characters in UTF-8, the connection's encoding.</summary>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        Ensure(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), written);
        _length += 4 + written;
    }

    public void Bytes(byte[]? value)
    {
        if (value is null)
        {
            Null();
            return;
        }
        Ensure(4 + value.Length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value.Length);
        value.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + value.Length;
    }

    /// <summary>date: days since 2000-01-01.</summary>
    public void Date(DateOnly value) => Int32Value(value.DayNumber - s_postgresEpochDay);

    /// <summary>jsonb: a version byte (1), then the JSON text.</summary>
    public void Jsonb(string? json)
    {
        if (json is null)
        {
            Null();
            return;
        }
        Ensure(5 + Encoding.UTF8.GetMaxByteCount(json.Length));
        _buffer[_length + 4] = 1;
        var written = Encoding.UTF8.GetBytes(json, _buffer.AsSpan(_length + 5));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), written + 1);
        _length += 5 + written;
    }

    /// <summary>text[] with one dimension and no null elements.</summary>
    public void TextArray(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            Null();
            return;
        }
        var start = _length;
        Int32Raw(0); // the value's length, filled in below
        Int32Raw(values.Count == 0 ? 0 : 1); // dimensions
        Int32Raw(0); // no nulls
        Int32Raw(TextOid);
        if (values.Count > 0)
        {
            Int32Raw(values.Count);
            Int32Raw(1); // lower bound
            foreach (var value in values)
            {
                Text(value);
            }
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    /// <summary>
    /// numeric: digit count, weight, sign and display scale, then base-10000 digits, most significant first; the
    /// value is the sum of digit[i] * 10000^(weight - i). Leading and trailing zero digits are left out.
    /// </summary>
    public void Numeric(decimal value)
    {
        var scale = value.Scale;
        var text = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        var wholeGroups = (whole.Length + 3) / 4;
        var fractionGroups = (fraction.Length + 3) / 4;
        var digits = new short[wholeGroups + fractionGroups];
        var padded = whole.PadLeft(wholeGroups * 4, '0') + fraction.PadRight(fractionGroups * 4, '0');
        for (var i = 0; i < digits.Length; i++)
        {
            digits[i] = short.Parse(padded.AsSpan(i * 4, 4), CultureInfo.InvariantCulture);
        }
        var first = 0;
        while (first < digits.Length && digits[first] == 0)
        {
            first++;
        }
        var last = digits.Length - 1;
        while (last >= first && digits[last] == 0)
        {
            last--;
        }
        var count = last - first + 1;
        var weight = count == 0 ? 0 : wholeGroups - 1 - first;
        Ensure(4 + 8 + 2 * count);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), 8 + 2 * count);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length + 4), (short)count);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length + 6), (short)weight);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length + 8), (short)(value < 0 && count > 0 ? 0x4000 : 0));
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length + 10), (short)scale);
        _length += 12;
        for (var i = first; i <= last; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), digits[i]);
            _length += 2;
        }
    }

    /// <summary>Sends what is buffered once there is enough of it; call between rows.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _length >= FlushAt && _stream is not null ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Ends the COPY: PostgreSQL checks and keeps the rows when this returns.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
        _length += 2;
        await FlushAsync(cancellationToken);
        _completed = true;
        await _stream!.DisposeAsync();
        ReturnBuffer();
    }

    /// <summary>Not completed: the COPY is cancelled and PostgreSQL keeps none of its rows.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed && _stream is not null)
        {
            await _stream.CancelAsync();
            await _stream.DisposeAsync();
        }
        _completed = true;
        ReturnBuffer();
    }

    void ReturnBuffer()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream!.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
        _length = 0;
    }

    void Int32Value(int value)
    {
        Int32Raw(4);
        Int32Raw(value);
    }

    void Int32Raw(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    void Ensure(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
