using SocialDomain.Provisions;

await LawService.Build(args, SocialDomain.Wmo.WmoLaw.Definition).RunAsync();
