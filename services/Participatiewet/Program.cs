using SocialDomain.Provisions;

await LawService.Build(args, SocialDomain.Participatiewet.ParticipatiewetLaw.Definition).RunAsync();
