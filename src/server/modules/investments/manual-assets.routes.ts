import { Type } from 'typebox';
import type { AppInstance } from '../../platform/app-instance.js';
import { IdParams, responses } from '../../platform/schemas.js';
import { CreateManualAssetBody, UpdateManualAssetBody } from './portfolios.schemas.js';
import type { ManualAssetsService } from './manual-assets.service.js';

/** Assets described and priced by hand. */
export function manualAssetsRoutes(app: AppInstance, manualAssets: ManualAssetsService): void {
  const err = Type.Ref('ErrorResponse');
  const assetTags = ['manual assets'];
  app.get(
    '/api/manual-assets',
    {
      schema: {
        tags: assetTags,
        summary: 'Assets you describe and price by hand',
        response: responses({ 200: Type.Array(Type.Ref('ManualAsset')) }),
      },
    },
    async (request) => manualAssets.listManualAssets(request.auth.userId),
  );

  app.post(
    '/api/manual-assets',
    {
      schema: {
        tags: assetTags,
        summary: 'Describe an asset the market data provider does not know',
        body: CreateManualAssetBody,
        response: responses({ 201: Type.Ref('ManualAsset') }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await manualAssets.createManualAsset(request.auth.userId, request.body)),
  );

  app.patch(
    '/api/manual-assets/:id',
    {
      schema: {
        tags: assetTags,
        summary: 'Rename or re-price a manual asset',
        params: IdParams,
        body: UpdateManualAssetBody,
        response: responses({ 200: Type.Ref('ManualAsset') }),
      },
    },
    async (request) => manualAssets.updateManualAsset(request.auth.userId, request.params.id, request.body),
  );

  app.delete(
    '/api/manual-assets/:id',
    {
      schema: {
        tags: assetTags,
        summary: 'Delete a manual asset no operation refers to',
        params: IdParams,
        response: responses({ 204: Type.Null(), 409: err }),
      },
    },
    async (request, reply) => {
      await manualAssets.removeManualAsset(request.auth.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
