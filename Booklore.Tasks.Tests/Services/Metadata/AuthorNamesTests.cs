using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Metadata;

public sealed class AuthorNamesTests
{
    [Theory]
    [InlineData("Doe, John", new[] { "Doe, John" })]
    [InlineData("Tolkien, J. R. R.", new[] { "Tolkien, J. R. R." })]
    [InlineData("Ann Lee; Bob Ray", new[] { "Ann Lee", "Bob Ray" })]
    [InlineData("Ann Lee & Bob Ray", new[] { "Ann Lee", "Bob Ray" })]
    [InlineData("Ann Lee and Bob Ray", new[] { "Ann Lee", "Bob Ray" })]
    [InlineData("Ann Lee, Bob Ray", new[] { "Ann Lee, Bob Ray" })]
    [InlineData("Le Guin, Ursula K.", new[] { "Le Guin, Ursula K." })]
    [InlineData("de la Cruz, Juana Inés", new[] { "de la Cruz, Juana Inés" })]
    [InlineData("King, Martin Luther, Jr.", new[] { "King, Martin Luther, Jr." })]
    [InlineData("Lee, Ann; Ray, Bob", new[] { "Lee, Ann", "Ray, Bob" })]
    [InlineData("Lee, Ann & Ray, Bob", new[] { "Lee, Ann", "Ray, Bob" })]
    [InlineData("Lee, Ann and Ray, Bob", new[] { "Lee, Ann", "Ray, Bob" })]
    [InlineData("Lee, Ann, and Ray, Bob", new[] { "Lee, Ann", "Ray, Bob" })]
    [InlineData("Ann Lee, Bob Ray, Cy Dee", new[] { "Ann Lee", "Bob Ray", "Cy Dee" })]
    [InlineData("Lee, Ray, Cho", new[] { "Lee", "Ray", "Cho" })]
    [InlineData("Georges Bizet (1838-1875)", new[] { "Georges Bizet (1838-1875)" })]
    [InlineData("Sandra Anderson", new[] { "Sandra Anderson" })]
    public void Split_AuthorField_ReturnsNames(string field, string[] expected)
    {
        Assert.Equal(expected, AuthorNames.Split(field));
    }

    [Fact]
    public void Split_Blank_ReturnsEmpty()
    {
        Assert.Empty(AuthorNames.Split("  "));
    }
}
