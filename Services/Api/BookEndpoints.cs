using System.Text.Json;
using System.Text.Json.Nodes;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Api;

/// <summary>Books with their metadata, locks and sources; editing them as the edit form does.</summary>
public static class BookEndpoints
{
    private static readonly JsonSerializerOptions StrictJson = new(RunJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    public static RouteGroupBuilder MapBookEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/books", ListBooksAsync).WithName("ListBooks");
        api.MapGet("/books/{id:int}", GetBookAsync).WithName("GetBook");
        api.MapPatch("/books/{id:int}", PatchBookAsync).WithName("EditBook");
        return api;
    }

    private static async Task<IResult> ListBooksAsync(
        string? search,
        int? libraryId,
        string? format,
        string? sort,
        bool? descending,
        int? page,
        int? pageSize,
        BookService books,
        CancellationToken cancellationToken)
    {
        BookFormat? parsedFormat = null;
        if (format is not null)
        {
            if (!Enum.TryParse<BookFormat>(format, ignoreCase: true, out var value) || value == BookFormat.Unknown)
            {
                return InvalidQuery("format", $"'{format}' is not a book format; use epub, pdf, cbz, cbr or cb7.");
            }

            parsedFormat = value;
        }

        var parsedSort = BookSort.Title;
        if (sort is not null && !Enum.TryParse(sort, ignoreCase: true, out parsedSort))
        {
            return InvalidQuery("sort", $"'{sort}' is not a sort order; use title, added or series.");
        }

        var query = new BookQuery
        {
            Search = search,
            LibraryId = libraryId,
            Format = parsedFormat,
            Sort = parsedSort,
            Descending = descending ?? false,
            Page = Math.Max(0, page ?? 0),
            PageSize = Math.Clamp(pageSize ?? 50, 1, BookQuery.MaxPageSize),
        };
        return Results.Ok(await books.ListAsync(query, cancellationToken));
    }

    private static async Task<IResult> GetBookAsync(int id, BookService books, CancellationToken cancellationToken) =>
        await books.GetAsync(id, cancellationToken) is { } book ? Results.Ok(book) : BookNotFound(id);

    /// <summary>
    /// Applies a partial edit: fields by their API names (null empties a field) and an optional
    /// "locks" object. An edited field is locked unless "locks" sets it to false.
    /// </summary>
    private static async Task<IResult> PatchBookAsync(
        int id,
        JsonElement body,
        BookService books,
        CancellationToken cancellationToken)
    {
        BookEdit edit;
        try
        {
            edit = ToEdit(body);
        }
        catch (InvalidRunOptionsException exception)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [exception.Field] = [exception.Message] },
                detail: exception.Message,
                title: "Invalid edit");
        }

        var result = await books.UpdateAsync(id, edit, cancellationToken);
        return result.Status switch
        {
            BookEditStatus.Updated => Results.Ok(result.Book),
            BookEditStatus.NotFound => BookNotFound(id),
            _ => Results.ValidationProblem(
                result.Errors.ToDictionary(),
                detail: string.Join(" ", result.Errors.SelectMany(error => error.Value)),
                title: "Invalid edit"),
        };
    }

    private static BookEdit ToEdit(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRunOptionsException("body", "The body must be a JSON object of fields, such as {\"title\": \"…\"}.");
        }

        var fields = new JsonObject();
        var clear = new JsonArray();
        var locks = new Dictionary<MetadataField, bool>();
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name == "locks")
            {
                ReadLocks(property.Value, locks);
            }
            else if (!BookEditFields.All.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new InvalidRunOptionsException(property.Name, $"'{property.Name}' is not an editable field. Editable fields: {string.Join(", ", BookEditFields.All)}.");
            }
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                clear.Add(property.Name);
            }
            else
            {
                fields[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        fields["clear"] = clear;
        try
        {
            return (fields.Deserialize<BookEdit>(StrictJson) ?? new BookEdit()) with { Locks = locks };
        }
        catch (JsonException exception)
        {
            var field = exception.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "body";
            throw new InvalidRunOptionsException(field, $"'{field}' has a value of the wrong type. {exception.Message}");
        }
    }

    private static void ReadLocks(JsonElement value, Dictionary<MetadataField, bool> locks)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRunOptionsException("locks", "'locks' must be an object of field names and true or false, such as {\"title\": false}.");
        }

        foreach (var entry in value.EnumerateObject())
        {
            var field = BookEditFields.TryParseMetadataField(entry.Name);
            if (field is null || entry.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new InvalidRunOptionsException(
                    $"locks.{entry.Name}",
                    $"'locks.{entry.Name}' must name a metadata field and be true or false.");
            }

            locks[field.Value] = entry.Value.GetBoolean();
        }
    }

    private static IResult InvalidQuery(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "Invalid query");

    private static IResult BookNotFound(int id) =>
        Results.Problem(title: "Book not found", detail: $"There is no book with id {id}.", statusCode: StatusCodes.Status404NotFound);
}
