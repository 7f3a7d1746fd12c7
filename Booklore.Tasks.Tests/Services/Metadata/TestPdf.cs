using System.Globalization;
using System.Text;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>Writes a one-page PDF with a given Info dictionary and optional XMP packet.</summary>
internal static class TestPdf
{
    /// <param name="info">The Info dictionary's entries as PDF syntax, for example "/Title (Dune)".</param>
    /// <param name="xmp">The XMP packet, stored as the catalog's /Metadata stream; null for none.</param>
    /// <param name="extraObjects">Further object bodies, numbered from 6 (object 5 is the XMP packet or null).</param>
    public static byte[] Create(string info, string? xmp = null, IReadOnlyList<string>? extraObjects = null)
    {
        var objects = new List<byte[]>
        {
            Latin1(xmp is null ? "<< /Type /Catalog /Pages 2 0 R >>" : "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>"),
            Latin1("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Latin1("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>"),
            Latin1($"<< {info} >>"),
        };
        if (xmp is not null)
        {
            var packet = Encoding.UTF8.GetBytes(xmp);
            objects.Add([
                .. Latin1($"<< /Type /Metadata /Subtype /XML /Length {packet.Length} >>\nstream\n"),
                .. packet,
                .. Latin1("\nendstream"),
            ]);
        }
        else if (extraObjects is not null)
        {
            objects.Add(Latin1("null"));
        }

        objects.AddRange((extraObjects ?? []).Select(Latin1));

        using var pdf = new MemoryStream();
        pdf.Write(Latin1("%PDF-1.7\n"));
        var offsets = new List<long>();
        for (var index = 0; index < objects.Count; index++)
        {
            offsets.Add(pdf.Position);
            pdf.Write(Latin1($"{index + 1} 0 obj\n"));
            pdf.Write(objects[index]);
            pdf.Write(Latin1("\nendobj\n"));
        }

        var xref = pdf.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        pdf.Write(Latin1(table.ToString()));
        return pdf.ToArray();
    }

    /// <summary>An XMP packet with a Dublin Core title and creator and the given xmp dates.</summary>
    public static string Xmp(string title, string creator, string? metadataDate = null, string? modifyDate = null) => $"""
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
          <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
              <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
              <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
              {(metadataDate is null ? "" : $"<xmp:MetadataDate>{metadataDate}</xmp:MetadataDate>")}
              {(modifyDate is null ? "" : $"<xmp:ModifyDate>{modifyDate}</xmp:ModifyDate>")}
            </rdf:Description>
          </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="r"?>
        """;

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
