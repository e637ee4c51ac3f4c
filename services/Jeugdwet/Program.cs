using SocialDomain.Provisions;

await LawService.Build(args, SocialDomain.Jeugdwet.JeugdwetLaw.Definition).RunAsync();
