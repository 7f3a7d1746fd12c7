namespace Booklore.Tasks.Services.Books;

public static class BookServiceCollectionExtensions
{
    /// <summary>Registers <see cref="BookService"/> and binds <see cref="BookEditOptions"/> to the "Booklore" section.</summary>
    public static IServiceCollection AddBookServices(this IServiceCollection services)
    {
        services.AddOptions<BookEditOptions>().BindConfiguration(BookEditOptions.SectionName);
        services.AddSingleton<BookEditValidator>();
        services.AddSingleton<BookService>();
        return services;
    }
}
